// “研究列表”部分：研究列表，以及研究实时面板与分析页面的外框。
import type en from '../en/studies';

const studies: typeof en = {
  list: {
    title: '研究列表',
    subtitle: '最新的排在最前。打开一个研究即可实时跟踪，或分析它的试验。',
    name: '研究',
    state: '状态',
    trials: '试验',
    best: '最佳值',
    sampler: '采样器',
    pruner: '剪枝器',
    objective: '目标',
    created: '创建时间',
    loading: '正在加载研究…',
    readError: '无法读取研究',
    budgetOf: '{done} / {budget}',
    emptyTitle: '还没有研究',
    emptyText: '一个研究会替您搜索许多自编码器配置。在 {wizard} 向导中描述它只需一分钟，示例数据集可以直接使用。',
    createFirst: '创建研究',
  },
  view: {
    back: '← 全部研究',
    tabsAria: '研究视图',
    dashboard: '实时面板',
    analytics: '分析',
    explorer: '潜在空间浏览器',
    copyLink: '复制链接',
    copyLinkTitle: '复制此视图的地址，可粘贴到笔记中或稍后打开',
    linkCopied: '链接已复制',
    linkCopyFailed: '无法复制到剪贴板',
    notFound: '找不到名为“{name}”的研究。它可能已被删除；请从列表中另选一个。',
  },
};

export default studies;
