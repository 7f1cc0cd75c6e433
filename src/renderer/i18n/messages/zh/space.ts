// 超参数名称、帮助文字（建议来自种子文章）以及搜索空间步骤。
import type en from '../en/space';

const space: typeof en = {
  params: {
    architecture: { label: '架构', help: '每个试验构建哪一类自编码器。' },
    hiddenUnits: { label: '隐藏层', help: '编码器各层宽度，从宽到窄；解码器与之镜像。' },
    activation: { label: '激活函数', help: 'ReLU 及其变体（Leaky ReLU、ELU）能有效对抗梯度消失，是常用选择；如需限制隐藏层取值范围，可用 sigmoid 或 tanh。' },
    outputActivation: { label: '输出激活函数', help: 'Sigmoid 适用于归一化到 [0, 1] 的输入（例如灰度像素强度）；线性输出适用于未限制范围的连续数据（例如缩放后的传感器读数）。Softmax 适用于分类输出，不适用于像素强度。' },
    earlyStoppingPatience: { label: '早停耐心值', help: '验证损失连续这么多个周期没有改善时，停止该试验。' },
    latentSize: {
      label: '潜在维度',
      help: '瓶颈层大小：每张图像被压缩成多少个特征。可以说这是对特征提取影响最大的超参数：维度越大重构通常越好，但特征对下游任务的用处往往先升后降。',
    },
    loss: { label: '损失函数', help: '均方误差适用于任何像素数据；二元交叉熵要求输出在 (0, 1) 之间，所以只在 sigmoid 输出时提供。' },
    dropout: { label: '丢弃率（Dropout）', help: '训练时随机丢弃的隐藏单元比例，用来抑制过拟合。0 表示关闭。' },
    batchNorm: { label: '批归一化', help: '按批次归一化隐藏层，可加快并稳定较深模型的训练。' },
    weightDecay: { label: '权重衰减（L2）', help: '对较大权重的惩罚，是一种正则化。可在对数尺度上搜索，例如 1e-6 到 1e-3，或保持 0。' },
    optimizer: { label: '优化器', help: 'Adam 是流行且通常高效的默认选择；其他选项有 RMSprop、Adagrad 和带动量的 SGD。' },
    learningRate: { label: '学习率', help: '每次更新的步长，是最敏感的优化设置。建议在对数尺度上搜索，例如 1e-4 到 1e-2。' },
    momentum: { label: '动量', help: '仅用于 SGD：上一次更新有多少延续到下一次；常用 0.9。' },
    nesterov: { label: 'Nesterov 动量', help: '仅用于 SGD：先沿动量方向前瞻再计算梯度；通常收敛得稍快一些。' },
    batchSize: { label: '批大小', help: '一次迭代使用的训练样本数。批越大每个周期越快，但更新越少；32 到 256 通常效果不错。' },
    epochs: { label: '训练周期数', help: '完整遍历训练数据的次数。太少会欠拟合，太多会过拟合：基于验证损失的早停很有用。' },
    noiseType: { label: '噪声类型', help: '去噪：gaussian 给每个像素加噪声；masking 把随机像素置零。只作用于训练输入。' },
    noiseLevel: { label: '噪声强度', help: '去噪：训练时输入被破坏的程度（标准差，或被遮盖像素的比例）；从 0.1 到 0.3 开始较好。' },
    l1: { label: 'L1 稀疏权重', help: '稀疏：编码激活上 L1 惩罚的权重。越大关闭的编码单元越多；建议在对数尺度上搜索。' },
    klBeta: { label: 'KL 权重 β', help: '变分：KL 项的权重。越大潜在空间越平滑、越规整，但重构会更模糊。' },
    filters: { label: '卷积核数', help: '卷积：每个步进卷积块的滤波器数量，例如“16, 32”；多个候选列表用“;”分隔。' },
    kernelSize: { label: '卷积核大小', help: '卷积：卷积核的尺寸；使用奇数，例如 3 或 5。' },
    codeDropout: {
      label: '编码丢弃率',
      help: '训练时随机丢弃编码（瓶颈层）特征的比例：解码器每次只看到一部分特征，任何单个特征都无法独自承担重构，每个特征都必须各自有用。0 表示关闭；若特征用于分类器，0.1 到 0.2 是不错的起点。',
    },
    convNoise: {
      label: '输入噪声（卷积）',
      help: '卷积型：训练输入上加入的高斯噪声的标准差，这样得到去噪卷积自编码器：它必须恢复干净的图像，因而学到稳健的、数据驱动的特征。0 表示训练普通的卷积自编码器。',
    },
    // 每个试验单独设置，不参与搜索（模型表单有自己的帮助文字）。
    earlyStoppingMinDelta: { label: '早停：最小变化' },
    restoreBestWeights: { label: '恢复最佳权重' },
    valFraction: { label: '验证集比例' },
    seed: { label: '随机种子' },
  },
  groups: {
    model: '模型',
    optimization: '优化',
    architecture: '特定架构',
  },
  modes: {
    fixed: '固定',
    choices: '候选值',
    range: '范围',
    aria: '{param} 的搜索方式',
  },
  fields: {
    value: '取值',
    choices: '要尝试的值',
    choicesHint: '用逗号分隔各个值',
    listChoicesHint: '每个候选是一个列表，列表之间用“;”分隔',
    low: '下限',
    high: '上限',
    log: '对数尺度',
    logHint: '按数量级均匀采样',
    step: '步长',
    stepPlaceholder: '无',
    yes: '开',
    no: '关',
  },
  onlyFor: '仅用于 {what}',
  onlyWith: '仅在使用 {what} 时',
  onlyWithOutput: '仅在输出为 {what} 时',
  derived: {
    title: '来自架构步骤',
    edit: '编辑',
  },
  engine: {
    title: '引擎检查',
    checking: '引擎正在检查研究规格…',
    ok: '引擎接受这个搜索空间。',
    gridSize: '在其上做完整网格搜索需要 {n} 个试验。',
    noGrid: '其中有连续范围，无法枚举成网格。',
    errors: '引擎发现了问题：',
    waiting: '请先修正上面标出的问题，之后引擎会检查研究规格。',
    unreachable: '无法向引擎发起检查',
  },
  values: {
    adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'Adagrad', sgd: 'SGD', mse: 'MSE', bce: 'BCE',
    gaussian: '高斯', masking: '遮盖',
  },
  intro: '每个超参数可以固定、从几个值中选取，或在一个范围内搜索。只属于某种架构或优化器的行，只有在研究包含它时才会出现。',
};

export default space;
