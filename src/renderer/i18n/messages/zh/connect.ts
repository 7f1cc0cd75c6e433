import type en from '../en/connect';

const connect: typeof en = {
  open: '连接到共享研究数据库…',
  openHint: '查看并导出其他机器上的工作进程通过 PostgreSQL 数据库运行的研究',
  title: '共享研究数据库',
  intro: '保存在 PostgreSQL 数据库中的研究可由任意多台机器上的 `latent-lab worker` 运行。连接后即可在此实时查看并导出其试验。',
  current: '当前使用',
  local: '本机数据库：{location}',
  shared: '{host} 上的共享数据库：{location}',
  sharedBadge: '共享 · {host}',
  live: '实时更新已开启',
  noLive: '无实时更新：视图在打开时刷新',
  url: '数据库地址',
  urlHint: "postgresql://用户{'@'}主机:5432/数据库（在此输入的密码会被取出，且从不显示）",
  password: '密码',
  passwordHint: '留空则使用已保存的密码，或运行引擎的机器上的 PGPASSWORD / ~/.pgpass。',
  remember: '记住密码',
  keptKeychain: '加密保存在本机，密钥由系统钥匙串保管。',
  keptMemory: '浏览器模式：仅保存在引擎的内存中，直到其退出；从不写入磁盘。',
  saved: '已保存：{urls}',
  connect: '连接',
  connecting: '正在连接…',
  disconnect: '返回本机数据库',
  close: '关闭',
  failed: '无法连接',
};

export default connect;
