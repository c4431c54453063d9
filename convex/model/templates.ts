// Templates are built into the deployment by scripts/build-templates.mjs.
import { templates, type TemplateBundle } from '../templates/bundle';

export function findTemplate(id: string): TemplateBundle | null {
	return templates.find((t) => t.id === id) ?? null;
}

export { templates };
