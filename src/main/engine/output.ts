/** A capped output log that keeps the head and the tail, and says when it dropped the middle. */
export class OutputTail {
  private head = '';
  private tail = '';
  private dropped = 0;

  constructor(
    private readonly cap = 256 * 1024,
    private readonly headShare = 0.25,
  ) {}

  write(chunk: string): void {
    const headCap = Math.floor(this.cap * this.headShare);
    if (this.head.length < headCap) {
      const room = headCap - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (!chunk) return;
    this.tail += chunk;
    const tailCap = this.cap - headCap;
    if (this.tail.length > tailCap) {
      this.dropped += this.tail.length - tailCap;
      this.tail = this.tail.slice(this.tail.length - tailCap);
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  toString(): string {
    if (!this.dropped) return this.head + this.tail;
    return `${this.head}\n… [${this.dropped} characters dropped] …\n${this.tail}`;
  }
}
