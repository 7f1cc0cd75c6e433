// 数据集页面（向导也复用其中的部分文案）。
import type en from '../en/dataset';

const dataset: typeof en = {
  form: {
    title: '图像文件夹',
    subtitle: '子文件夹会被当作类别，例如 {example}',
    folder: '文件夹',
    folderPlaceholder: '/图像/所在/路径',
    imageSize: '图像尺寸（像素）',
    imageSizeHelp: '图像会被缩放成这个边长的正方形。',
    imageSizeError: '请使用 4 到 256 像素之间的尺寸。',
    colour: '颜色',
    grayscale: '灰度',
    rgb: 'RGB',
    colourHelp: '灰度数据只有 RGB 的三分之一大，对数字和扫描件已经足够。',
    useSample: '使用示例数据集',
    sampleHint: '示例数据集是 10,000 张手写数字（MNIST），首次使用时写入数据文件夹。',
    openError: '无法打开数据集',
    chooseFolder: '请先选择一个图像文件夹。',
    checkOptions: '请检查数据集选项。',
  },
  phases: {
    scan: '正在扫描文件夹',
    decode: '正在解码图像',
    cache: '正在写入缓存',
  },
  summary: {
    stale: '自打开此数据集以来，文件夹或图像选项已更改。请按 {open} 以新选项重新加载。',
    next: '配置模型 →',
    images: '张图像',
    classes: '个类别',
    fromCache: '来自缓存',
    decodedNow: '刚刚解码',
    perClass: '各类别图像数',
    preview: '预览',
    previewSubtitle: '共 {total} 张中的 {shown} 张，即模型看到的样子',
  },
  classes: {
    unlabeled: '这个文件夹没有子文件夹，所以图像没有标签。把每个类别放进各自的子文件夹，就能看到各类数量，之后也能训练下游分类器。',
    class: '类别',
    share: '占比',
    images: '图像数',
  },
  failures: {
    summary: '个文件无法读取，已跳过 | 个文件无法读取，已跳过',
  },
  preview: {
    none: '没有返回预览图像。',
  },
  empty: {
    title: '尚未打开数据集',
    text: '在上方输入图像文件夹的路径并按 {open}，或按 {sample}，用手写数字试用 Latent Lab。',
  },
};

export default dataset;
