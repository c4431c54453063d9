import { Component, type ReactNode } from 'react';

interface Props {
	fallback: (error: Error) => ReactNode;
	children: ReactNode;
}

/** Shows `fallback` instead of its children once one of them throws while rendering. */
export default class ErrorBoundary extends Component<Props, { error: Error | null }> {
	state = { error: null as Error | null };

	static getDerivedStateFromError(error: unknown) {
		return { error: error instanceof Error ? error : new Error(String(error)) };
	}

	render() {
		return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
	}
}
