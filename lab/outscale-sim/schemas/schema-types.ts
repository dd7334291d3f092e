// SPDX-License-Identifier: Apache-2.0
// The subset of OpenAPI 3.0 schema keywords the Outscale spec uses for the simulated calls.

export interface SchemaNode {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly format?: string;
  readonly enum?: readonly (string | number | boolean)[];
  readonly required?: readonly string[];
  readonly $ref?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
}

export interface ApiSchemas {
  readonly source: string;
  /** Operation -> names of its request schema and of its 200 response schema. */
  readonly operations: Readonly<Record<string, { readonly request: string; readonly response: string }>>;
  readonly schemas: Readonly<Record<string, SchemaNode>>;
}
