// 按代码的提示（跳过的文件及原因、训练后端）。英文原文见 src/shared/errors.ts 的 NOTE_MESSAGES；占位符 {name} 与英文一致。
import type { NoteCode } from '../../../../shared/errors';

const notes: Record<NoteCode, string> = {
  FOLDER_SKIPPED: '无法读取文件夹（{reason}），已跳过',
  FOLDER_SKIPPED_DENIED: '无法读取文件夹（没有权限），已跳过',
  EMPTY_CLASS_FOLDER: '类别文件夹中没有可用的图像：该类别未计入',
  LINK_BROKEN: '链接已失效：其目标不存在',
  LINK_OUTSIDE: '链接指向所选文件夹之外，未跟随',
  LINK_NOT_FILE: '链接指向的既不是文件也不是文件夹，未跟随',
  LINK_FAILED: '无法跟随链接（{reason}）',
  LINK_DUPLICATE: '链接指向一个已包含的文件夹，未跟随',
  FILE_UNREADABLE: '无法读取文件（{reason}）',
  FILE_DENIED: '无法读取文件（没有权限）',
  FILE_VANISHED: '无法读取文件（扫描时文件已消失）',
  FILE_EMPTY: '空文件（0 字节）：不是图像',
  NO_EXTENSION: '不是图像：文件没有扩展名',
  UNSUPPORTED_EXTENSION: '不是图像：不支持的扩展名 .{ext}',
  NOT_IN_CLASS_FOLDER: '不在类别文件夹中：此文件夹含有类别子文件夹，因此直接放在其中的图像被跳过',
  DECODE_UNKNOWN_FORMAT: '无法读取的图像（内容不符合任何支持的格式）',
  DECODE_DAMAGED: '无法解码，文件已损坏或不完整：{detail}',
  DECODE_FAILED: '无法解码：{detail}',

  BACKEND_NATIVE: '原生 TensorFlow（tfjs-node）',
  BACKEND_WASM: 'wasm（WebAssembly，SIMD）',
  BACKEND_WASM_FMA: 'wasm（WebAssembly，SIMD + FMA）',
  BACKEND_CPU: 'cpu（纯 JavaScript）',
  BACKEND_CHOSEN_BY_CALLER: '由调用方指定',
  BACKEND_CHOSEN_BY_ENV: '由 LATENT_LAB_BACKEND 指定',
  BACKEND_NODE_MISSING: '未安装 tfjs-node（可选依赖）',
  BACKEND_NODE_NOT_READY: 'tfjs-node 已加载，但其后端未能初始化',
  BACKEND_NODE_FAILED: 'tfjs-node 失败：{reason}',
  BACKEND_WASM_NOT_READY: 'wasm 后端未能初始化',
  BACKEND_WASM_FAILED: 'wasm 失败：{reason}',
  BACKEND_UNREPORTED: '训练进程在报告其后端之前就退出了',
};

export default notes;
