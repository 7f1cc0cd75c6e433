// 侧边导航与各部分标题。
import type en from '../en/nav';

const nav: typeof en = {
  aria: '功能区',
  groups: {
    studies: '研究',
    single: '单次试验',
  },
  newStudy: {
    label: '新建研究',
    hint: '向导：数据、空间、策略',
    title: '新建研究',
    intro: '一步步描述一次超参数搜索：使用的图像、要比较的架构、搜索空间、目标和搜索策略。最后一步会以 JSON 展示这个研究并启动它。',
  },
  studies: {
    label: '研究列表',
    hint: '搜索、实时面板、分析',
    hintCount: '暂无研究 | 1 个研究 | {n} 个研究',
    title: '研究列表',
    intro: '每次搜索都保存在本地试验数据库中。打开一个研究即可查看运行情况或分析其试验。',
  },
  dataset: {
    label: '数据集',
    hintNone: '尚未打开文件夹',
    hintOpen: '{name} · {count}',
    title: '数据集',
    intro: '选择本机上的一个图像文件夹。数据不会离开这台电脑；解码后的图像会被缓存，下次运行更快。',
  },
  train: {
    label: '模型与训练',
    hintIdle: '手动配置一个自编码器',
    hintStarting: '正在启动…',
    hintEpoch: '第 {epoch}/{epochs} 个周期',
    hintLast: '上次运行：{state}',
    title: '模型与训练',
    intro: '配置一个自编码器（全连接、卷积、去噪、稀疏或变分），并在已打开的数据集上训练。每个训练周期结束后都会实时显示损失。',
  },
  trials: {
    label: '试验',
    hint: '历史、曲线、导出',
    title: '试验',
    intro: '比较以往的运行，查看它们的曲线和参数，并导出已完成试验的编码器。',
  },
  notFound: {
    title: '此地址没有页面',
    text: '{address} 不对应任何页面。该链接可能来自更新的版本，或输入有误。',
  },
};

export default nav;
