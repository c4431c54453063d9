// The one interface the workbench talks to for running a project: in the browser through
// WebContainer, or on the SvelteKit server through the local runtime. Everything above this
// file (the preview pane, the log panel, the agent's runtime tools) is the same for both.

/** A file as the runtime should see it: its whole text. */
export interface FileWrite {
	path: string;
	content: string;
}

/** A file as a list names it: its path and the SHA-256 (hex) of its text. */
export interface FileHash {
	path: string;
	hash: string;
}

export type FileChange = ({ kind: 'write' } & FileWrite) | { kind: 'delete'; path: string };

/**
 * Where a runtime is in its life. `unavailable` means it can never run here (no WebContainer
 * support, boot timed out, local runtime disabled); `stopped` means it ran and can be started
 * again.
 */
export type RuntimeStatus =
	| { phase: 'idle' }
	| { phase: 'booting' }
	| { phase: 'installing' }
	| { phase: 'starting' }
	| { phase: 'ready'; url: string }
	| { phase: 'stopped'; reason: string }
	| { phase: 'unavailable'; reason: string };

export type PreviewErrorKind = 'uncaught' | 'rejection' | 'console' | 'build';

/** An error the person saw in (or about) the preview; the agent can be asked to fix it. */
export interface PreviewError {
	kind: PreviewErrorKind;
	message: string;
	stack?: string;
	/** Page URL or file where it happened, when known. */
	source?: string;
	at: number;
}

export interface CommandResult {
	exitCode: number;
	/** Combined stdout and stderr, ANSI colour codes removed, bounded in size. */
	output: string;
}

export type RuntimeEvent =
	| { type: 'status'; status: RuntimeStatus }
	/** `reset`: the text is the whole log so far (after a reconnect), not an addition. */
	| { type: 'log'; text: string; reset?: boolean }
	| { type: 'error'; error: PreviewError };

export interface PreviewRuntime {
	readonly kind: 'webcontainer' | 'local';
	/** Writes the project's files into a fresh file system (replacing what was there). */
	mount(files: FileWrite[]): Promise<void>;
	/** Applies saved changes, in order; calls are serialized by the runtime. */
	apply(changes: FileChange[]): Promise<void>;
	/** Installs dependencies, streaming progress as log events. */
	install(): Promise<void>;
	/** Starts (or restarts) the dev server; resolves with the preview URL when it is ready. */
	start(): Promise<string>;
	/**
	 * Runs the app from what the runtime kept from an earlier session, when that is exactly
	 * `files` with their dependencies installed (a reopened project): no files are sent and
	 * nothing is installed. Resolves with the preview URL, or null when a full boot is needed.
	 * Only a runtime that outlives the page has it.
	 */
	resume?(files: FileHash[]): Promise<string | null>;
	/** Stops the dev server, keeping the files. */
	stop(): Promise<void>;
	/**
	 * Reads files the runtime produced (codegen output, updated manifests) once pending writes
	 * are done; null for a file that does not exist.
	 */
	readFiles(paths: string[]): Promise<(string | null)[]>;
	/** Runs a shell command in the project directory and waits for it to exit. */
	exec(command: string, options?: { timeoutMs?: number }): Promise<CommandResult>;
	/** Subscribes to status, log and preview error events; returns the unsubscribe. */
	on(listener: (event: RuntimeEvent) => void): () => void;
	dispose(): Promise<void>;
}
