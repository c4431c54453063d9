import { ConvexProvider } from 'convex/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import ConvexSetupNotice from './components/ConvexSetupNotice';
import { connectConvex } from './lib/convex';
import './index.css';

// Vite inlines the value at build time, so it never changes while the page is open.
const connection = connectConvex(import.meta.env.VITE_CONVEX_URL);

createRoot(document.getElementById('root')!).render(
	<StrictMode>
		{connection.client ? (
			<ConvexProvider client={connection.client}>
				<App />
			</ConvexProvider>
		) : (
			<ConvexSetupNotice problem={connection.problem} />
		)}
	</StrictMode>
);
