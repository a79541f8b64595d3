/** This build's version, set by the bundler (esbuild's define); `dev` when run from out/. */
declare const AIP_VERSION: string | undefined;
export const VERSION = typeof AIP_VERSION === 'string' ? AIP_VERSION : 'dev';
