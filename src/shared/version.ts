/** Kept equal to package.json's version by a test; a constant so every bundle reads it without fs. */
export const APP_VERSION = '0.1.0';
export const APP_NAME = 'Latent Lab';
