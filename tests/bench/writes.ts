// Bytes written by a Convex call, measured from the outside: every document (and stored file)
// that is new or different afterwards counts with its JSON-encoded size, the way a snapshot of
// the database would grow. A document patched twice in one mutation counts once, as Convex
// commits it once. Deletions count nothing.
//
// convex-test tracks bytesWritten per transaction too, but only exposes it inside the function
// (getTransactionMetrics), so diffing the tables is the way to measure a call unchanged.
import { convexToJson, type Value } from 'convex/values';
import schema from '../../convex/schema';
import type { Test } from '../convex/setup';

const encoder = new TextEncoder();

export function jsonBytes(value: Value): number {
	return encoder.encode(JSON.stringify(convexToJson(value))).length;
}

type State = Map<string, { table: string; json: string; bytes: number }>;

async function state(t: Test): Promise<State> {
	const rows = await t.run(async (ctx) => {
		const out: { table: string; doc: Value; stored: number }[] = [];
		for (const table of Object.keys(schema.tables)) {
			for (const doc of await ctx.db.query(table as 'projects').collect()) {
				out.push({ table, doc, stored: 0 });
			}
		}
		// File storage: the metadata document plus the file's own bytes.
		for (const doc of await ctx.db.system.query('_storage').collect()) {
			out.push({ table: '_storage', doc, stored: doc.size });
		}
		return out;
	});
	const map: State = new Map();
	for (const { table, doc, stored } of rows) {
		const json = JSON.stringify(convexToJson(doc));
		const id = (doc as { _id: string })._id;
		map.set(id, { table, json, bytes: encoder.encode(json).length + stored });
	}
	return map;
}

export interface Writes<T> {
	result: T;
	bytes: number;
	documents: number;
	/** Bytes per table, largest first, e.g. "blobs 2210, fileChanges 310". */
	byTable: [string, number][];
}

export async function measureWrites<T>(t: Test, run: () => Promise<T>): Promise<Writes<T>> {
	const before = await state(t);
	const result = await run();
	const after = await state(t);
	let bytes = 0;
	let documents = 0;
	const byTable = new Map<string, number>();
	for (const [id, doc] of after) {
		if (before.get(id)?.json === doc.json) continue;
		bytes += doc.bytes;
		documents += 1;
		byTable.set(doc.table, (byTable.get(doc.table) ?? 0) + doc.bytes);
	}
	return { result, bytes, documents, byTable: [...byTable].sort((a, b) => b[1] - a[1]) };
}

export function describeTables(byTable: [string, number][]): string {
	return byTable.map(([table, bytes]) => `${table} ${bytes}`).join(', ');
}
