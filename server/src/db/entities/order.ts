import { EntitySchema } from '@mikro-orm/core';
import type { ExtractionSource } from '../../extraction/schema.ts';
import { type Call, CallEntity } from './call.ts';
import { type Customer, CustomerEntity } from './customer.ts';

/** The order extracted from one call, with where it came from and how sure the extractor was. */
export interface Order {
  id: number;
  call: Call;
  customer: Customer;
  /** 'human' when a reviewer entered the order by hand (the job had failed). */
  source: ExtractionSource | 'human';
  confidence: number;
  currency: string | null;
  /** Sum of quantity x unit price over items with a known price. */
  total: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const OrderEntity = new EntitySchema<Order>({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade', unique: true },
    customer: { kind: 'm:1', entity: () => CustomerEntity, deleteRule: 'cascade' },
    source: { type: 'string', length: 16 },
    confidence: { type: 'double' },
    currency: { type: 'string', length: 3, nullable: true },
    total: { type: 'decimal', precision: 12, scale: 2, nullable: true },
    notes: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
    updatedAt: { type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
