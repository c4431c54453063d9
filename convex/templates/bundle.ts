// Placeholder until scripts/build-templates.mjs runs.
export interface TemplateFile { path: string; content: string }
export interface TemplateBundle { id: string; name: string; description: string; tags: string[]; protected: string[]; devCommand: string; installCommand: string; files: TemplateFile[] }
export const templates: TemplateBundle[] = [];
