import { EntitySchema } from '@mikro-orm/core';
import { type Call, CallEntity } from './call.ts';

/** The caller as extracted from one call (not deduplicated across calls: a reviewer merges by phone or email). */
export interface Customer {
  id: number;
  call: Call;
  name: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  createdAt: Date;
}

export const CustomerEntity = new EntitySchema<Customer>({
  name: 'Customer',
  tableName: 'customers',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade', index: true },
    name: { type: 'string', length: 200, nullable: true },
    address: { type: 'string', length: 500, nullable: true },
    phone: { type: 'string', length: 40, nullable: true, index: true },
    email: { type: 'string', length: 200, nullable: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
});
