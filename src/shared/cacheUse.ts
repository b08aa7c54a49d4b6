/** The frozen-prefix cache as the panel words it (run header, freeze stage), one wording for both. */
import type { PrefixCacheUse } from '../protocol/run';

export function describeCacheUse(cache: PrefixCacheUse): string {
  if (!cache.used) return `not used: ${cache.reason}`;
  return cache.augmentedViews ? `frozen activations cached, ${cache.augmentedViews} augmented views per image` : 'frozen activations cached';
}
