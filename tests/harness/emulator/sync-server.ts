// The WebSocket half of the emulator: one SyncSession per client, speaking Convex's sync
// protocol (Connect, ModifyQuerySet, Authenticate, Mutation, Action → Transition,
// MutationResponse, ActionResponse, AuthError, Ping).
import type { UserIdentity } from 'convex/server';
import type { JSONValue } from 'convex/values';
import { WebSocket, WebSocketServer } from 'ws';
import { AuthFailure, type TokenVerifier } from './auth';
import type { Backend } from './backend';
import {
	actionResponse,
	authErrorMessage,
	failure,
	mutationResponse,
	queryModification,
	transitionMessage,
	type ClientMessage,
	type FunctionResult,
	type QueryId,
	type StateModification,
	type StateVersion
} from './protocol';

const PING_AFTER_SILENCE_MS = 15_000;
// setTimeout cannot wait longer than this; longer token lifetimes are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Subscription {
	udfPath: string;
	args: JSONValue;
}

interface SentQuery {
	udfPath: string;
	resultKey: string;
	ts: bigint;
	identityVersion: number;
}

class ProtocolError extends Error {}

class SyncSession {
	// What the client asked for, updated as its messages arrive.
	querySetVersion = 0;
	identityVersion = 0;
	identity: UserIdentity | null = null;
	readonly queries = new Map<QueryId, Subscription>();
	// What the client has been sent: the next Transition must start here.
	sent: StateVersion = { querySet: 0, ts: 0n, identity: 0 };
	sentQueries = new Map<QueryId, SentQuery>();
	// Bumped when the client needs a Transition even if nothing changed (a mutation's
	// response waits for one at or past its timestamp).
	transitionWanted = 0;
	transitionSent = 0;
	syncing = false;
	dirty = false;
	inbox: Promise<void> = Promise.resolve();
	lastSendAt = Date.now();
	clientClockSkew: number | undefined;
	expiryTimer: NodeJS.Timeout | undefined;
	closed = false;

	constructor(readonly ws: WebSocket) {}

	send(message: object) {
		if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
		this.lastSendAt = Date.now();
		this.ws.send(JSON.stringify(message));
	}
}

export class SyncServer {
	readonly wss = new WebSocketServer({ noServer: true });
	private readonly sessions = new Set<SyncSession>();
	private readonly pingTimer: NodeJS.Timeout;
	// Query results for the current commit timestamp, shared by all sessions.
	private cacheTs = -1n;
	private readonly cache = new Map<string, Promise<FunctionResult>>();

	constructor(
		private readonly backend: Backend,
		private readonly verifier: TokenVerifier,
		private readonly onWrite: () => void
	) {
		this.wss.on('connection', (ws) => this.accept(ws));
		this.pingTimer = setInterval(() => this.pingIdle(), 5_000);
		this.pingTimer.unref();
	}

	/** Re-runs every subscription whose inputs may have changed and pushes the differences. */
	syncAll() {
		for (const session of this.sessions) this.requestSync(session);
	}

	async close() {
		clearInterval(this.pingTimer);
		for (const session of this.sessions) {
			this.drop(session);
			session.ws.terminate();
		}
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
	}

	private accept(ws: WebSocket) {
		const session = new SyncSession(ws);
		this.sessions.add(session);
		ws.on('message', (data) => {
			let message: ClientMessage;
			try {
				message = JSON.parse(data.toString()) as ClientMessage;
			} catch {
				this.fail(session, 'Invalid JSON message');
				return;
			}
			// Messages are handled in arrival order so versions and identities line up.
			session.inbox = session.inbox
				.then(() => this.handle(session, message))
				.catch((error: unknown) => {
					const detail = error instanceof Error ? error.message : String(error);
					this.fail(session, detail);
				});
		});
		ws.on('close', () => this.drop(session));
		ws.on('error', () => this.drop(session));
	}

	private drop(session: SyncSession) {
		session.closed = true;
		clearTimeout(session.expiryTimer);
		this.sessions.delete(session);
	}

	// Protocol violations end the connection; the client reconnects and starts over, as it
	// does against the real backend.
	private fail(session: SyncSession, reason: string) {
		console.error(`[convex-emulator] closing sync connection: ${reason}`);
		this.drop(session);
		session.ws.close(1011, `InternalServerError: ${reason}`.slice(0, 120));
	}

	private async handle(session: SyncSession, message: ClientMessage) {
		if (session.closed) return;
		switch (message.type) {
			case 'Connect':
				if (typeof message.clientTs === 'number') {
					session.clientClockSkew = message.clientTs - Date.now();
				}
				return;
			case 'ModifyQuerySet':
				if (message.baseVersion !== session.querySetVersion) {
					throw new ProtocolError(
						`Query set base version ${message.baseVersion} != ${session.querySetVersion}`
					);
				}
				for (const modification of message.modifications) {
					if (modification.type === 'Add') {
						session.queries.set(modification.queryId, {
							udfPath: modification.udfPath,
							args: modification.args[0] ?? {}
						});
					} else {
						session.queries.delete(modification.queryId);
					}
				}
				session.querySetVersion = message.newVersion;
				this.requestSync(session);
				return;
			case 'Authenticate':
				await this.authenticate(session, message);
				return;
			case 'Mutation':
				this.mutation(session, message.requestId, message.udfPath, message.args, message);
				return;
			case 'Action':
				this.action(session, message.requestId, message.udfPath, message.args, message);
				return;
			case 'Event':
				return;
			default:
				throw new ProtocolError(`Unknown message type ${(message as { type: string }).type}`);
		}
	}

	private async authenticate(
		session: SyncSession,
		message: Extract<ClientMessage, { type: 'Authenticate' }>
	) {
		if (message.baseVersion !== session.identityVersion) {
			throw new ProtocolError(
				`Identity base version ${message.baseVersion} != ${session.identityVersion}`
			);
		}
		clearTimeout(session.expiryTimer);
		if (message.tokenType === 'None') {
			session.identity = null;
		} else if (message.tokenType === 'User' && typeof message.value === 'string') {
			try {
				const verified = await this.verifier.verify(message.value);
				session.identity = verified.identity;
				if (verified.expiresAt !== null) this.armExpiry(session, verified.expiresAt);
			} catch (error) {
				const reason = error instanceof AuthFailure ? error.message : String(error);
				this.authError(session, reason, true);
				return;
			}
		} else {
			this.authError(session, 'Admin keys are not supported by the Convex emulator', true);
			return;
		}
		session.identityVersion = message.baseVersion + 1;
		this.requestSync(session);
	}

	// Like the real backend: an AuthError is the connection's last message.
	private authError(session: SyncSession, reason: string, updateAttempted: boolean) {
		session.send(authErrorMessage(reason, session.identityVersion, updateAttempted));
		this.drop(session);
		session.ws.close(1000, 'AuthError');
	}

	private armExpiry(session: SyncSession, expiresAt: number) {
		const wait = expiresAt - Date.now();
		if (wait <= 0) {
			this.authError(session, 'Token expired', false);
			return;
		}
		session.expiryTimer = setTimeout(
			() => {
				if (Date.now() >= expiresAt) this.authError(session, 'Token expired', false);
				else this.armExpiry(session, expiresAt);
			},
			Math.min(wait, MAX_TIMER_MS)
		);
		session.expiryTimer.unref();
	}

	private mutation(
		session: SyncSession,
		requestId: number,
		udfPath: string,
		args: JSONValue[],
		message: { componentPath?: string }
	) {
		const identity = session.identity;
		const run = message.componentPath
			? Promise.resolve({
					result: failure('Calling component functions directly is not supported'),
					ts: null
				})
			: this.backend.call('mutation', udfPath, args[0] ?? {}, identity);
		void run.then(({ result, ts }) => {
			// The client resolves a mutation only once a Transition reaches its timestamp, and
			// only checks on Transitions: the response must go out first, then a Transition.
			session.send(mutationResponse(requestId, result, ts));
			if (result.success) {
				session.transitionWanted += 1;
				this.onWrite();
				this.requestSync(session);
			}
		});
	}

	private action(
		session: SyncSession,
		requestId: number,
		udfPath: string,
		args: JSONValue[],
		message: { componentPath?: string }
	) {
		const identity = session.identity;
		const run = message.componentPath
			? Promise.resolve({
					result: failure('Calling component functions directly is not supported'),
					ts: null
				})
			: this.backend.call('action', udfPath, args[0] ?? {}, identity);
		void run.then(({ result }) => {
			session.send(actionResponse(requestId, result));
			this.onWrite();
		});
	}

	private requestSync(session: SyncSession) {
		if (session.closed) return;
		if (session.syncing) {
			session.dirty = true;
			return;
		}
		session.syncing = true;
		void (async () => {
			try {
				do {
					session.dirty = false;
					await this.syncOnce(session);
				} while (session.dirty && !session.closed);
			} catch (error) {
				const detail = error instanceof Error ? error.message : String(error);
				this.fail(session, `sync failed: ${detail}`);
			} finally {
				session.syncing = false;
			}
		})();
	}

	private async syncOnce(session: SyncSession) {
		const target = {
			querySet: session.querySetVersion,
			identity: session.identityVersion,
			identityValue: session.identity,
			queries: new Map(session.queries),
			transitionWanted: session.transitionWanted
		};
		const ts = await this.backend.snapshotTs();
		const modifications: StateModification[] = [];
		const nextSent = new Map<QueryId, SentQuery>();
		for (const [queryId, query] of target.queries) {
			const previous = session.sentQueries.get(queryId);
			if (
				previous !== undefined &&
				previous.ts === ts &&
				previous.identityVersion === target.identity &&
				previous.udfPath === query.udfPath
			) {
				nextSent.set(queryId, previous);
				continue;
			}
			const result = await this.runQuery(ts, target.identityValue, query);
			const resultKey = JSON.stringify(result);
			if (previous === undefined || previous.resultKey !== resultKey) {
				modifications.push(queryModification(queryId, result));
			}
			nextSent.set(queryId, {
				udfPath: query.udfPath,
				resultKey,
				ts,
				identityVersion: target.identity
			});
		}
		for (const queryId of session.sentQueries.keys()) {
			if (!target.queries.has(queryId)) modifications.push({ type: 'QueryRemoved', queryId });
		}
		if (session.closed) return;
		const end: StateVersion = {
			querySet: target.querySet,
			ts: ts > session.sent.ts ? ts : session.sent.ts,
			identity: target.identity
		};
		const changed =
			modifications.length > 0 ||
			end.querySet !== session.sent.querySet ||
			end.identity !== session.sent.identity ||
			end.ts !== session.sent.ts ||
			target.transitionWanted !== session.transitionSent;
		if (!changed) return;
		session.send(transitionMessage(session.sent, end, modifications, session.clientClockSkew));
		session.sent = end;
		session.sentQueries = nextSent;
		session.transitionSent = target.transitionWanted;
	}

	private runQuery(ts: bigint, identity: UserIdentity | null, query: Subscription) {
		if (ts !== this.cacheTs) {
			this.cache.clear();
			this.cacheTs = ts;
		}
		const key = JSON.stringify([identity, query.udfPath, query.args]);
		let result = this.cache.get(key);
		if (result === undefined) {
			result = this.backend
				.call('query', query.udfPath, query.args, identity)
				.then(({ result }) => result);
			this.cache.set(key, result);
		}
		return result;
	}

	private pingIdle() {
		const now = Date.now();
		for (const session of this.sessions) {
			if (now - session.lastSendAt >= PING_AFTER_SILENCE_MS) session.send({ type: 'Ping' });
		}
	}
}
