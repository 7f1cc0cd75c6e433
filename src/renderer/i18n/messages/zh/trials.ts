// 试验页面：表格、详情与导出。
import type en from '../en/trials';

const trials: typeof en = {
  panel: {
    title: '试验',
    subtitle: '每次运行都保存在本地试验数据库中，重启后依然保留。',
    readError: '无法读取试验数据库',
    emptyTitle: '还没有试验',
    emptyText: '在 {page} 页面训练一个模型，或在 {newStudy} 中启动一个研究；每次运行都会连同曲线列在这里，完成后即可导出。',
    goTrain: '前往模型与训练',
    loading: '正在加载试验…',
    detailError: '无法加载该试验',
    loadingDetail: '正在加载试验…',
    selectHint: '选择一个试验，查看它的曲线、参数和导出选项。',
  },
  table: {
    id: '#',
    state: '状态',
    study: '研究',
    dataset: '数据集',
    latent: '潜在维度',
    bestValLoss: '最佳验证损失',
    epochs: '周期',
    backend: '后端',
    created: '创建时间',
  },
  detail: {
    title: '试验 {id}',
    failedTitle: '该试验失败',
    noReason: '没有记录原因。',
    bestValLoss: '最佳验证损失',
    epochs: '周期',
    backend: '后端',
    created: '创建于',
    finished: '结束于',
    noEpochs: '该试验没有记录任何周期。',
    objectiveN: '目标 {n}',
    prunedAfter: '在第 {epoch} 轮后被剪枝：它的中间值比剪枝器允许的更差。',
    parameters: '参数',
    where: '位置与版本',
    dataset: '数据集',
    artifacts: '产物',
    onlyComplete: '只有已完成的试验可以导出。',
  },
  export: {
    title: '导出编码器',
    text: '将编码器写成 ONNX 和 TensorFlow.js 模型（{model} 和权重），附上逐步说明全部预处理、参数与指标的清单文件，以及每张图像的潜在特征（CSV 和 NPY），写入一个新的或空的文件夹。',
    folder: '目标文件夹',
    folderPlaceholder: '/导出/路径',
    run: '导出编码器',
    running: '正在导出…',
    failed: '导出失败',
    wrote: '已向 {folder} 写入 {n} 个文件',
    chooseFolder: '请选择要导出到的文件夹。',
  },
};

export default trials;
