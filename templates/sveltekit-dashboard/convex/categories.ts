// The fixed set of expense categories. Free of server imports (convex/values is client-safe), so
// the UI imports it too (as `$convex/categories`); labels and colours live in src/lib/categories.ts.
import { v, type Infer } from 'convex/values';

export const CATEGORIES = [
	'housing',
	'groceries',
	'dining',
	'transport',
	'health',
	'fun',
	'other'
] as const;

export const vCategory = v.union(...CATEGORIES.map((category) => v.literal(category)));
export type Category = Infer<typeof vCategory>;
