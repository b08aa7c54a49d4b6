/**
 * The packages `npm run package:all` writes: one per target in scripts/vsix-targets.json, each declaring
 * its target platform and carrying exactly that platform's sharp binaries (the packages sharp 0.34
 * loads, @img/sharp-<os>-<cpu> and, where it exists, @img/sharp-libvips-<os>-<cpu>) and no other
 * native file. Run by `npm run test:package`, which builds them first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import targets from '../../scripts/vsix-targets.json';

const repo = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string };
const sharp = JSON.parse(readFileSync(path.join(repo, 'node_modules', 'sharp', 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
/** Files only a native build carries: Node addons and shared libraries. */
const NATIVE = /\.(node|so(\.\d+)*|dylib|dll)$/;

/** The @img packages sharp lists for this platform (sharp's own optionalDependencies are the source). */
function expectedSharpPackages(os: string, cpu: string): string[] {
  return [`@img/sharp-${os}-${cpu}`, `@img/sharp-libvips-${os}-${cpu}`].filter((name) => name in sharp.optionalDependencies).sort();
}

for (const [target, { os, cpu }] of Object.entries(targets)) {
  test(`${target}: TargetPlatform ${target}, and only ${os}-${cpu} sharp binaries`, () => {
    const file = path.join(repo, `${manifest.name}-${target}-${manifest.version}.vsix`);
    assert.ok(existsSync(file), `${file} is missing: run npm run package:all`);
    const entries = unzipSync(readFileSync(file));
    const vsixManifest = new TextDecoder().decode(entries['extension.vsixmanifest']);
    assert.equal(/TargetPlatform="([^"]*)"/.exec(vsixManifest)?.[1], target);
    const names = Object.keys(entries);
    const imgPackages = [...new Set(names.filter((name) => name.startsWith('extension/node_modules/@img/')).map((name) => name.split('/').slice(2, 4).join('/')))];
    const binaryPackages = imgPackages.filter((name) => name !== '@img/colour').sort();
    assert.deepEqual(binaryPackages, expectedSharpPackages(os, cpu));
    assert.ok(imgPackages.includes('@img/colour'), 'sharp\'s colour parser (plain JS) is there');
    // The addon sharp requires on this platform, and no native file from anything else.
    assert.ok(names.includes(`extension/node_modules/@img/sharp-${os}-${cpu}/lib/sharp-${os}-${cpu}.node`));
    const nativeOutside = names.filter((name) => NATIVE.test(name) && !binaryPackages.some((pkg) => name.startsWith(`extension/node_modules/${pkg}/`)));
    assert.deepEqual(nativeOutside, []);
    assert.ok(names.includes('extension/dist/extension.js') && names.includes('extension/node_modules/sharp/package.json'));
  });
}
