// The model providers a person can bring a key for, and the rules a key and a base URL must
// meet. Pure module: the settings page checks input with the same rules the server enforces.

export const PROVIDER_IDS = ['anthropic', 'openai', 'google', 'openai-compatible'] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderInfo {
	id: ProviderId;
	label: string;
	/** Where a person gets a key. */
	keysUrl: string | null;
	/** The operator's environment variable that configures this provider for everyone. */
	envVar: string;
	/** Whether the provider needs a base URL (and may run without a key, e.g. Ollama). */
	needsBaseURL: boolean;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
	anthropic: {
		id: 'anthropic',
		label: 'Anthropic',
		keysUrl: 'https://console.anthropic.com/settings/keys',
		envVar: 'ANTHROPIC_API_KEY',
		needsBaseURL: false
	},
	openai: {
		id: 'openai',
		label: 'OpenAI',
		keysUrl: 'https://platform.openai.com/api-keys',
		envVar: 'OPENAI_API_KEY',
		needsBaseURL: false
	},
	google: {
		id: 'google',
		label: 'Google Gemini',
		keysUrl: 'https://aistudio.google.com/apikey',
		envVar: 'GOOGLE_GENERATIVE_AI_API_KEY',
		needsBaseURL: false
	},
	'openai-compatible': {
		id: 'openai-compatible',
		label: 'OpenAI-compatible server',
		keysUrl: null,
		envVar: 'OPENAI_COMPATIBLE_BASE_URL',
		needsBaseURL: true
	}
};

export function isProviderId(value: string): value is ProviderId {
	return (PROVIDER_IDS as readonly string[]).includes(value);
}

export const SECRET_LIMITS = {
	/** Shorter keys are typing mistakes, and "ends in" would give most of them away. */
	minChars: 8,
	maxChars: 512,
	baseURLMaxChars: 2048
};

export type InputProblem = { code: 'INVALID_ARGUMENT' | 'TOO_LARGE'; message: string };

/**
 * What is wrong with an API key, or null. Keys are printable ASCII without spaces; only an
 * OpenAI-compatible server may have none (local servers such as Ollama need no key).
 */
export function secretValueProblem(provider: ProviderId, value: string): InputProblem | null {
	if (value.length === 0) {
		if (PROVIDERS[provider].needsBaseURL) return null;
		return { code: 'INVALID_ARGUMENT', message: 'Paste the API key.' };
	}
	if (value.length > SECRET_LIMITS.maxChars) {
		return {
			code: 'TOO_LARGE',
			message: `API keys are at most ${SECRET_LIMITS.maxChars} characters.`
		};
	}
	if (!/^[\x21-\x7e]+$/.test(value)) {
		return {
			code: 'INVALID_ARGUMENT',
			message: 'An API key is letters, digits and symbols, without spaces or line breaks.'
		};
	}
	if (value.length < SECRET_LIMITS.minChars) {
		return {
			code: 'INVALID_ARGUMENT',
			message: `That is too short for an API key (at least ${SECRET_LIMITS.minChars} characters).`
		};
	}
	return null;
}

/**
 * The base URL of an OpenAI-compatible server, normalized (no trailing slash), or a problem.
 * Credentials in the URL are refused: the URL is shown back in the UI, the key is not.
 */
export function normalizeBaseURL(raw: string): { url: string } | { problem: InputProblem } {
	const text = raw.trim();
	if (text.length === 0) {
		return {
			problem: {
				code: 'INVALID_ARGUMENT',
				message: 'Enter the server’s base URL, e.g. http://localhost:11434/v1.'
			}
		};
	}
	if (text.length > SECRET_LIMITS.baseURLMaxChars) {
		return {
			problem: {
				code: 'TOO_LARGE',
				message: `Base URLs are at most ${SECRET_LIMITS.baseURLMaxChars} characters.`
			}
		};
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: { code: 'INVALID_ARGUMENT', message: 'That base URL is not a valid URL.' } };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return {
			problem: { code: 'INVALID_ARGUMENT', message: 'The base URL must start with http(s)://.' }
		};
	}
	if (url.username || url.password || url.search) {
		return {
			problem: {
				code: 'INVALID_ARGUMENT',
				message: 'Put the key in the key field, not in the base URL.'
			}
		};
	}
	url.hash = '';
	return { url: url.toString().replace(/\/+$/, '') };
}

/** The last four characters, all that is ever shown of a stored key. */
export function last4Of(value: string): string {
	return value.length >= SECRET_LIMITS.minChars ? value.slice(-4) : '';
}
