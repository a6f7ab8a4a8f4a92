/**
 * Collects the conditions and parameters of one statement, numbering the
 * placeholders, so that optional filters compose without string surgery.
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  /** A placeholder for the value. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export class SqlConditions {
  private readonly conditions: string[] = [];

  constructor(readonly parameters = new SqlParameters()) {}

  /** `template` with `?` where the value goes, e.g. `c.state = ?`. */
  where(template: string, value?: unknown): this {
    this.conditions.push(value === undefined ? template : template.replace('?', this.parameters.add(value)));
    return this;
  }

  whereIf(value: unknown, template: string): this {
    return value === undefined || value === null || value === '' ? this : this.where(template, value);
  }

  get sql(): string {
    return this.conditions.length === 0 ? 'TRUE' : this.conditions.join(' AND ');
  }
}
