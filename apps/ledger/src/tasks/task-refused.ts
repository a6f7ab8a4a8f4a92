/** A task that cannot run as asked (a missing file, a bad header): its message is for the operator, without a stack. */
export class TaskRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskRefused';
  }
}
