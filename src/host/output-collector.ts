/** Turns a cell's kernel events into its list of outputs, replacing updated ones in place. */
import type { StoredOutput } from '../protocol/notebook-format';
import type { KernelEvent, KernelOutput } from '../protocol/protocol';

export class OutputCollector {
  private readonly list: KernelOutput[] = [];

  apply(event: KernelEvent): void {
    if (event.type === 'output') this.list.push(event.output);
    if (event.type === 'update') {
      const at = this.list.findIndex((o) => o.id === event.output.id);
      if (at >= 0) this.list[at] = event.output;
      else this.list.push(event.output);
    }
  }

  addError(name: string, message: string): void {
    this.list.push({ id: `error-${this.list.length}`, items: [{ mime: 'application/vnd.code.notebook.error', data: { name, message } }] });
  }

  outputs(): KernelOutput[] {
    return [...this.list];
  }

  stored(): StoredOutput[] {
    return this.list.map((o) => ({ items: o.items.map((i) => ({ ...i })), metadata: { ...o.metadata, outputId: o.id } }));
  }
}
