// 按错误代码的提示（英文原文见 src/shared/errors.ts）。占位符 {name} 与英文一致。
import type { ErrorCode } from '../../../../shared/errors';

const errors: Record<ErrorCode, string> = {
  UNKNOWN_METHOD: '未知的方法 {method}。',
  INVALID_INPUT: '{method} 的输入无效：{details}',
  NOT_IMPLEMENTED: '此版本不提供 {method}。',
  FORBIDDEN: '此页面无权调用 Latent Lab。',
  UNAUTHORIZED: '访问密钥缺失或错误：请用 Latent Lab 启动时打印的地址打开它。',
  BAD_JSON: '请求内容不是有效的 JSON。',
  BAD_REQUEST: '请求地址格式错误。',
  BODY_TOO_LARGE: '请求超过 {limit}，已被拒绝。',
  INTERNAL: '内部错误：Latent Lab 遇到了意外的问题。详细信息记录在日志文件 {logFile} 中；报告问题时请附上该文件。',
  NO_BRIDGE: '此页面不是由 Latent Lab 打开的，无法连接引擎。请启动桌面应用，或运行 `latent-lab serve` 并打开它打印的地址。',
  BRIDGE_UNREACHABLE: 'Latent Lab 没有响应。应用（或 `latent-lab serve`）是否仍在运行？',
  BRIDGE_BAD_RESPONSE: 'Latent Lab 返回了意外的响应（HTTP {status}）。',
  NO_EVENTSOURCE: '当前环境不支持 EventSource，无法实时更新。',
  IPC_FAILED: '调用 Latent Lab 主进程失败：{details}',
  BAD_REPLY: '{method}：主进程返回了无效的响应。',

  FOLDER_NOT_FOUND: '文件夹 {path} 不存在。请检查路径，或重新选择文件夹：它可能已被移动、重命名，或位于未连接的驱动器上。',
  NOT_A_FOLDER: '{path} 是文件而不是文件夹。请选择包含图像的文件夹（每个类别一个子文件夹，或所有图像直接放在其中）。',
  FOLDER_UNREADABLE: 'Latent Lab 无法打开 {path}（{reason}）。请检查你是否有读取权限。',
  PATH_NOT_ABSOLUTE: '{path} 不是完整路径：请给出文件夹的完整路径，例如 {example}。',
  PATH_NOT_CHOSEN: '桌面应用只打开你选择的文件夹：请用“浏览…”选择 {path}，或在询问时确认输入的路径。',

  NO_IMAGES: '在 {path} 中没有找到图像。支持的格式：{formats}。请把图像放在每个类别一个子文件夹中（例如 cats/001.png 和 dogs/001.png），无标签数据则直接放在文件夹中。{skipped}',
  IMAGES_UNDECODABLE: '{path} 中的图像都无法解码。支持的格式：{formats}。请把图像放在每个类别一个子文件夹中（例如 cats/001.png 和 dogs/001.png），无标签数据则直接放在文件夹中。{skipped}',
  DATASET_TOO_LARGE: '{path} 有 {count} 张图像；在 {size}x{size}、{channels} 个通道下需要 {gb} GB 内存，超过 Latent Lab 一次可容纳的 2 GB。请选择更小的图像尺寸或更小的文件夹。',
  LOAD_CANCELLED: '已取消加载 {path}。',
  SAMPLE_FOLDER_TAKEN: '{path} 已存在，但不是 Latent Lab 的示例文件夹；请将其移走后重试。',

  DB_OPEN: '无法打开试验数据库 {path}：{reason}。请检查该文件夹可写且有剩余空间，或用 --db / LATENT_LAB_DB 选择其他位置。',
  DB_NEWER: '试验数据库由更新版本的 Latent Lab 写入（架构 {found}，此版本支持 {known}）。请更新 Latent Lab，或让 --db / LATENT_LAB_DB 指向其他文件。',
  DB_WRITE: '写入试验数据库 {path} 失败（{reason}）。{hint}',
  TRIAL_NOT_FOUND: '试验 {trialId} 不存在。',
  STUDY_EXISTS: '名为“{name}”的研究已存在：请继续该研究，或换一个名称。',
  STUDY_NOT_FOUND: '没有名为“{name}”的研究；已有的研究：{known}。',

  INVALID_SPEC: '研究配置无效：\n{details}',
  INVALID_SPACE: '搜索空间无效：\n{details}',
  INVALID_TARGETS: 'dataset.targetsCsv：{details}',
  STUDY_RUNNING: '研究“{name}”已在运行。',
  TRAINER_BUSY: '试验 {trialId} 仍在训练：请等待它结束或先取消它。',

  NOT_EXPORTABLE: '试验 {number} 的状态为 {state}：只有已完成（COMPLETE）的试验才有可导出的编码器。',
  NO_LATENTS: '试验 {trialId} 没有保存的潜在编码：只有已完成的试验会保存（此版本之前训练的试验没有）。',
  NO_RECONSTRUCTIONS: '试验 {trialId} 没有保存的重建图像：只有已完成的试验会保存。',
  PROJECTION_NEEDS_METHOD: '编码有 {dims} 维：请选择 PCA、UMAP 或 t-SNE 来绘制。',
  ARTIFACT_MISSING: '试验的 {file} 不在 {folder} 中；请重新训练该试验以重新生成。',
  DISK_FULL: '无法写入 {path}：磁盘已满；请释放一些空间后重试。',
  WRITE_DENIED: '无法写入 {path}：权限被拒绝；请选择你可以写入的文件夹。',
  PATH_BLOCKED: '无法写入 {path}：文件夹路径上有一个同名文件；请选择其他文件夹。',
  WRITE_FAILED: '无法写入 {path}：{reason}。',
};

export default errors;
