// Limits every entry point enforces (ARCHITECTURE §7). One place, so tests and UI agree.

export const LIMITS = {
	/** Longest path, in characters after normalization. */
	pathLength: 200,
	/** Deepest folder nesting (segments in a path). */
	pathDepth: 12,
	/** Longest single path segment. */
	segmentLength: 100,
	/** Largest text file, in UTF-8 bytes. Convex documents stop at 1 MiB. */
	fileBytes: 512 * 1024,
	/** Most files in one project. */
	filesPerProject: 2000,
	/** Most bytes across all files of one project. */
	projectBytes: 32 * 1024 * 1024,
	/** Most content bytes written by one save batch; Convex caps a transaction's writes. */
	bytesPerSave: 8 * 1024 * 1024,
	/** Most changes in one save batch (one checkpoint). */
	changesPerSave: 200,
	/** Most blob hashes fetched in one call. */
	hashesPerRead: 100,
	/** Longest project name. */
	projectNameLength: 80,
	/** Most projects one person owns. */
	projectsPerUser: 200,
	/** Largest zip archive accepted for import, in bytes as uploaded. */
	importZipBytes: 8 * 1024 * 1024,
	/**
	 * Most bytes an import may inflate to, across all files. An import is one transaction, so
	 * it shares the per-save cap on bytes written rather than the (larger) project cap.
	 */
	importBytes: 8 * 1024 * 1024,
	/** Highest uncompressed:compressed ratio an archive or a large entry may declare. */
	importCompressionRatio: 100
} as const;
