// The app's own Vite config with a cache directory of its own: browser benches run the builder's
// dev server next to the ones other people and the e2e suite run in this tree, and two dev
// servers re-optimizing dependencies into the same node_modules/.vite would reload each
// other's pages.
import { mergeConfig } from 'vite';
import app from '../../vite.config';

export default mergeConfig(app, { cacheDir: 'node_modules/.vite-bench-builder' });
