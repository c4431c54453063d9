// Tokens are issued by this deployment's own Convex Auth HTTP routes.
export default {
	providers: [
		{
			domain: process.env.CONVEX_SITE_URL,
			applicationID: 'convex'
		}
	]
};
