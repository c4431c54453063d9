// Every template has its gallery thumbnail (made by npm run templates:thumbnails from the
// running app), at the size the gallery shows.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const templates = readdirSync('templates', { withFileTypes: true })
	.filter((entry) => entry.isDirectory())
	.map(
		(entry) =>
			JSON.parse(readFileSync(join('templates', entry.name, 'template.json'), 'utf8')).id as string
	);

describe('template thumbnails', () => {
	test.each(templates)('%s has a 640 × 400 PNG', (id) => {
		const path = join('static', 'templates', `${id}.png`);
		expect(existsSync(path), `${path} is missing: run npm run templates:thumbnails ${id}`).toBe(
			true
		);
		const png = readFileSync(path);
		expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
		// The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 400]);
	});
});
