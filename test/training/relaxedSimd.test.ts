// The relaxed-SIMD (fused multiply-add) gemm only runs where the engine has relaxed SIMD: Electron, Node >= 22,
// or Node 20 with the flag trainer processes get. This checks that flag choice and that flavour's results.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trainerV8Flags } from '../../src/core/trainer/nodeSpawn';
import { hasRelaxedSimd } from '../../src/core/training/wasmKernels/loops';

const script = fileURLToPath(new URL('../helpers/gemmFmaCheck.ts', import.meta.url));

describe('relaxed SIMD gemm', () => {
  it('trainer processes get relaxed SIMD where this Node can have it; its products and gradients match cpu to 1e-4', () => {
    const flags = trainerV8Flags();
    // Either this engine has it on already (no flag needed) or the flag was verified in a throwaway process.
    expect(hasRelaxedSimd() ? flags : flags.length <= 1).toBeTruthy();
    const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', script], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { flavour: string; worst: number; outputs: number };
    expect(result.outputs).toBe(12); // 3 fused products, their 6 operand gradients, a conv's 2, a fused conv
    expect(result.flavour).toBe(hasRelaxedSimd() || flags.length > 0 ? 'simd+fma' : 'simd');
    expect(result.worst).toBeLessThanOrEqual(1e-4);
  });
});
