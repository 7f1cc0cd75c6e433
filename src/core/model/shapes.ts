// Shape arithmetic of the builders that needs no TensorFlow.js (the memory estimate uses it in processes that
// never load tfjs).

/** Spatial sizes after each stride-2 'same' conv: ceil(n / 2) per step. */
export function downsampledSizes(height: number, width: number, steps: number): Array<[number, number]> {
  const sizes: Array<[number, number]> = [[height, width]];
  for (let i = 0; i < steps; i++) {
    const [h, w] = sizes[i];
    sizes.push([Math.ceil(h / 2), Math.ceil(w / 2)]);
  }
  return sizes;
}
