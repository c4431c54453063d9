// Wire shapes of Convex's sync protocol, as the `convex` npm client encodes and parses them
// (node_modules/convex/dist/esm-types/browser/sync/protocol.d.ts is the source of truth).
import { convexToJson, type JSONValue } from 'convex/values';

export type QueryId = number;

export interface AddQuery {
	type: 'Add';
	queryId: QueryId;
	udfPath: string;
	args: JSONValue[];
	journal?: string | null;
	componentPath?: string;
}

export interface RemoveQuery {
	type: 'Remove';
	queryId: QueryId;
}

export type ClientMessage =
	| {
			type: 'Connect';
			sessionId: string;
			connectionCount: number;
			lastCloseReason: string | null;
			maxObservedTimestamp?: string;
			clientTs?: number;
	  }
	| {
			type: 'ModifyQuerySet';
			baseVersion: number;
			newVersion: number;
			modifications: (AddQuery | RemoveQuery)[];
	  }
	| {
			type: 'Mutation' | 'Action';
			requestId: number;
			udfPath: string;
			args: JSONValue[];
			componentPath?: string;
	  }
	| {
			type: 'Authenticate';
			tokenType: 'User' | 'Admin' | 'None';
			value?: string;
			baseVersion: number;
	  }
	| { type: 'Event'; eventType: string; event: unknown };

export interface StateVersion {
	querySet: number;
	ts: bigint;
	identity: number;
}

export type StateModification =
	| {
			type: 'QueryUpdated';
			queryId: QueryId;
			value: JSONValue;
			logLines: string[];
			journal: null;
	  }
	| {
			type: 'QueryFailed';
			queryId: QueryId;
			errorMessage: string;
			logLines: string[];
			errorData?: JSONValue;
			journal: null;
	  }
	| { type: 'QueryRemoved'; queryId: QueryId };

/** What running one function produced, before it is shaped into a reply. */
export type FunctionResult =
	| { success: true; value: JSONValue; logLines: string[] }
	| { success: false; errorMessage: string; errorData?: JSONValue; logLines: string[] };

/** Timestamps travel as base64 of 8 little-endian bytes (u64). */
export function encodeTs(ts: bigint): string {
	const bytes = Buffer.alloc(8);
	bytes.writeBigUInt64LE(ts);
	return bytes.toString('base64');
}

export function decodeTs(encoded: string): bigint {
	return Buffer.from(encoded, 'base64').readBigUInt64LE();
}

function encodeVersion(version: StateVersion) {
	return { querySet: version.querySet, ts: encodeTs(version.ts), identity: version.identity };
}

export function transitionMessage(
	start: StateVersion,
	end: StateVersion,
	modifications: StateModification[],
	clientClockSkew: number | undefined
) {
	return {
		type: 'Transition' as const,
		startVersion: encodeVersion(start),
		endVersion: encodeVersion(end),
		modifications,
		...(clientClockSkew === undefined ? {} : { clientClockSkew })
	};
}

export function queryModification(queryId: QueryId, result: FunctionResult): StateModification {
	if (result.success) {
		return { type: 'QueryUpdated', queryId, value: result.value, logLines: [], journal: null };
	}
	return {
		type: 'QueryFailed',
		queryId,
		errorMessage: result.errorMessage,
		logLines: [],
		...(result.errorData === undefined ? {} : { errorData: result.errorData }),
		journal: null
	};
}

export function mutationResponse(requestId: number, result: FunctionResult, ts: bigint | null) {
	if (result.success) {
		return {
			type: 'MutationResponse' as const,
			requestId,
			success: true,
			result: result.value,
			ts: encodeTs(ts ?? 0n),
			logLines: result.logLines
		};
	}
	return failureResponse('MutationResponse', requestId, result);
}

export function actionResponse(requestId: number, result: FunctionResult) {
	if (result.success) {
		return {
			type: 'ActionResponse' as const,
			requestId,
			success: true,
			result: result.value,
			logLines: result.logLines
		};
	}
	return failureResponse('ActionResponse', requestId, result);
}

function failureResponse<T extends string>(
	type: T,
	requestId: number,
	result: Extract<FunctionResult, { success: false }>
) {
	return {
		type,
		requestId,
		success: false,
		// The client reads a failure's message from `result`, not `errorMessage`.
		result: result.errorMessage,
		logLines: result.logLines,
		...(result.errorData === undefined ? {} : { errorData: result.errorData })
	};
}

export function authErrorMessage(error: string, baseVersion: number, authUpdateAttempted: boolean) {
	return { type: 'AuthError' as const, error, baseVersion, authUpdateAttempted };
}

export function failure(errorMessage: string, errorData?: JSONValue): FunctionResult {
	return {
		success: false,
		errorMessage,
		logLines: [],
		...(errorData === undefined ? {} : { errorData })
	};
}

/**
 * Shapes a thrown value like the real backend does: ConvexError data travels as `errorData`
 * (Convex JSON) so the client can rebuild `err.data`; other errors only as a message.
 * The ConvexError check is by its well-known symbol because the functions may load their
 * own copy of `convex/values`.
 */
export function errorResult(thrown: unknown): FunctionResult {
	if (typeof thrown === 'object' && thrown !== null && Symbol.for('ConvexError') in thrown) {
		const error = thrown as { message: string; data?: unknown };
		try {
			return failure(
				`Uncaught ConvexError: ${error.message}`,
				convexToJson((error.data ?? null) as never)
			);
		} catch {
			return failure(`Uncaught ConvexError: ${error.message}`);
		}
	}
	if (thrown instanceof Error) {
		return failure(`Uncaught ${thrown.name}: ${thrown.message}${stackFrames(thrown)}`);
	}
	return failure(`Uncaught ${String(thrown)}`);
}

// Dev deployments show where a function failed; keep a few frames for the same help.
function stackFrames(error: Error): string {
	const frames = (error.stack ?? '')
		.split('\n')
		.filter((line) => line.trimStart().startsWith('at '))
		.slice(0, 6);
	return frames.length === 0 ? '' : `\n${frames.join('\n')}`;
}
