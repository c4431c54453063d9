// The emulator's one door into convex-test: runs public functions by path for an identity,
// reads the commit timestamp, and keeps queries and mutations in one serial queue.
import type { TestConvex, TestConvexForDataModel } from 'convex-test';
import {
	componentsGeneric,
	makeFunctionReference,
	type FunctionReference,
	type GenericDataModel,
	type GenericMutationCtx,
	type StorageWriter,
	type GenericSchema,
	type SchemaDefinition,
	type UserIdentity
} from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { resolveIn, type ConvexApp, type FunctionKind, type ModuleLoader } from './modules';
import { errorResult, failure, type FunctionResult } from './protocol';
import { SerialQueue } from './queue';

type Accessor = TestConvexForDataModel<GenericDataModel>;
export type ComponentCtx = GenericMutationCtx<GenericDataModel> & { storage: StorageWriter };
export type AppTestConvex = TestConvex<SchemaDefinition<GenericSchema, boolean>>;

interface ConvexGlobal {
	syscall(op: string, args: string): string;
	jsSyscall(op: string, args: Record<string, unknown>): Promise<unknown>;
}

/** The `Convex` global convex-test installs; it routes to the current test's state. */
export function convexGlobal(): ConvexGlobal {
	return (globalThis as unknown as { Convex: ConvexGlobal }).Convex;
}

// convex-test hands out storage URLs on a fixed fake host; the emulator serves them itself.
export const FAKE_STORAGE_PREFIX = 'https://some-deployment.convex.cloud/api/storage/';

export class Backend {
	readonly queue = new SerialQueue();
	private readonly accessors = new Map<string, Accessor>();

	constructor(
		readonly t: AppTestConvex,
		private readonly app: ConvexApp,
		private readonly publicUrl: string,
		/** Modules of the registered components by component path, for admin calls. */
		private readonly componentModules = new Map<string, Map<string, ModuleLoader>>()
	) {}

	get componentPaths(): string[] {
		return [...this.componentModules.keys()];
	}

	/** The latest commit's timestamp (Unix nanoseconds); 0 before the first commit. */
	snapshotTs(): Promise<bigint> {
		return this.queue.run(() => this.readTs());
	}

	private async readTs(): Promise<bigint> {
		return (await this.t.query(async () => {
			return jsonToConvex(JSON.parse(convexGlobal().syscall('1.0/getSnapshotTs', '{}')));
		})) as bigint;
	}

	accessor(identity: UserIdentity | null): Accessor {
		if (identity === null) return this.t as unknown as Accessor;
		const key = JSON.stringify(identity);
		let accessor = this.accessors.get(key);
		if (accessor === undefined) {
			if (this.accessors.size > 500) this.accessors.clear();
			accessor = (this.t as unknown as Accessor).withIdentity(identity);
			this.accessors.set(key, accessor);
		}
		return accessor;
	}

	/**
	 * Runs a public function as a client would call it. Mutations also report the commit
	 * timestamp that includes their writes, read in the same queue slot.
	 * Actions run outside the queue: a long action (an LLM stream) must not stall every
	 * subscriber, and its own queries and mutations are serialized by convex-test.
	 */
	async call(
		kind: FunctionKind,
		udfPath: string,
		args: JSONValue,
		identity: UserIdentity | null
	): Promise<{ result: FunctionResult; ts: bigint | null }> {
		const resolved = await this.app.resolvePublic(udfPath);
		if ('error' in resolved) return { result: failure(resolved.error), ts: null };
		if (resolved.kind !== kind) {
			return {
				result: failure(
					`Trying to execute ${udfPath} as ${title(kind)}, but it is defined as ${title(resolved.kind)}.`
				),
				ts: null
			};
		}
		if (typeof args !== 'object' || args === null || Array.isArray(args)) {
			return { result: failure('Function arguments must be an object'), ts: null };
		}
		return await this.run(kind, makeFunctionReference(udfPath), args, this.accessor(identity));
	}

	/**
	 * Runs any function, internal ones and those of components too, as a deployment's admin key
	 * may (`npx convex run --component staticHosting lib:getUrls` calls this way).
	 */
	async callAsAdmin(
		udfPath: string,
		componentPath: string | null,
		args: JSONValue
	): Promise<{ result: FunctionResult; ts: bigint | null }> {
		let resolved: { kind: FunctionKind } | { error: string };
		let reference: FunctionReference<FunctionKind>;
		if (componentPath) {
			const modules = this.componentModules.get(componentPath);
			if (modules === undefined) {
				return { result: failure(`No component is mounted at '${componentPath}'.`), ts: null };
			}
			resolved = await resolveIn(modules, udfPath, true);
			// components.<path>.<module segments>.<export>, the reference codegen would write.
			const [modulePath, exportName = 'default'] = udfPath.split(':');
			let node: Record<string, unknown> = componentsGeneric();
			for (const key of [...componentPath.split('/'), ...modulePath.split('/'), exportName]) {
				node = node[key] as Record<string, unknown>;
			}
			reference = node as unknown as FunctionReference<FunctionKind>;
		} else {
			resolved = await this.app.resolveAny(udfPath);
			reference = makeFunctionReference(udfPath);
		}
		if ('error' in resolved) return { result: failure(resolved.error), ts: null };
		if (typeof args !== 'object' || args === null || Array.isArray(args)) {
			return { result: failure('Function arguments must be an object'), ts: null };
		}
		const ran = await this.run(resolved.kind, reference, args, this.t as unknown as Accessor);
		// An upload URL a component handed out must store into that component's storage.
		if (componentPath && ran.result.success) {
			const uploadUrl = `${this.publicUrl}/api/storage/upload?`;
			const tag = `&component=${encodeURIComponent(componentPath)}`;
			ran.result.value = mapStrings(ran.result.value, (text) =>
				text.startsWith(uploadUrl) ? text + tag : text
			);
		}
		return ran;
	}

	/**
	 * Runs `handler` as a mutation inside a registered component (its tables and storage).
	 * convex-test has runInComponent, but its types leave it out.
	 */
	inComponent<T>(componentPath: string, handler: (ctx: ComponentCtx) => Promise<T>): Promise<T> {
		const t = this.t as unknown as {
			runInComponent(path: string, run: (ctx: ComponentCtx) => Promise<T>): Promise<T>;
		};
		return t.runInComponent(componentPath, handler);
	}

	private async run(
		kind: FunctionKind,
		reference: FunctionReference<FunctionKind>,
		args: JSONValue,
		accessor: Accessor
	): Promise<{ result: FunctionResult; ts: bigint | null }> {
		const argsValue = jsonToConvex(args) as Record<string, Value>;
		try {
			if (kind === 'action') {
				const value = await accessor.action(reference as FunctionReference<'action'>, argsValue);
				return { result: this.success(value), ts: null };
			}
			return await this.queue.run(async () => {
				if (kind === 'query') {
					const value = await accessor.query(reference as FunctionReference<'query'>, argsValue);
					return { result: this.success(value), ts: null };
				}
				const value = await accessor.mutation(
					reference as FunctionReference<'mutation'>,
					argsValue
				);
				return { result: this.success(value), ts: await this.readTs() };
			});
		} catch (error) {
			return { result: errorResult(error), ts: null };
		}
	}

	/** Calls an HTTP action route; the identity comes from the request's bearer token. */
	fetch(pathWithQuery: string, init: RequestInit, identity: UserIdentity | null) {
		return this.accessor(identity).fetch(pathWithQuery, init);
	}

	private success(value: unknown): FunctionResult {
		return {
			success: true,
			value: this.rewriteUrls(convexToJson(value as Value)),
			logLines: []
		};
	}

	private rewriteUrls(value: JSONValue): JSONValue {
		return mapStrings(value, (text) =>
			text.startsWith(FAKE_STORAGE_PREFIX)
				? `${this.publicUrl}/api/storage/${text.slice(FAKE_STORAGE_PREFIX.length)}`
				: text
		);
	}
}

/** `value` with every string in it, however deeply nested, replaced by `f(string)`. */
function mapStrings(value: JSONValue, f: (text: string) => string): JSONValue {
	if (typeof value === 'string') return f(value);
	if (Array.isArray(value)) return value.map((item) => mapStrings(item, f));
	if (typeof value === 'object' && value !== null) {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, mapStrings(item, f)])
		);
	}
	return value;
}

function title(kind: FunctionKind): string {
	return kind[0].toUpperCase() + kind.slice(1);
}
