/** Runs tasks one at a time in submission order; a failing task does not stop the queue. */
export class SerialQueue {
	private tail: Promise<unknown> = Promise.resolve();

	run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.tail.then(task, task);
		this.tail = result.catch(() => undefined);
		return result;
	}
}
