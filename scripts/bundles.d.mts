import type { BuildOptions } from 'esbuild';
export declare const nodeExternals: string[];
export declare const bundles: Record<'extension' | 'host' | 'webview', BuildOptions>;
export declare function commonOptions(watch: boolean): BuildOptions;
