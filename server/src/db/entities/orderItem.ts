import { EntitySchema } from '@mikro-orm/core';
import { type Order, OrderEntity } from './order.ts';

export interface OrderItem {
  id: number;
  order: Order;
  position: number;
  name: string;
  size: string | null;
  quantity: number;
  /** Decimal as a string ("12.50"): money is never a float. */
  unitPrice: string | null;
  currency: string | null;
}

export const OrderItemEntity = new EntitySchema<OrderItem>({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    order: { kind: 'm:1', entity: () => OrderEntity, deleteRule: 'cascade' },
    position: { type: 'integer' },
    name: { type: 'string', length: 120 },
    size: { type: 'string', length: 40, nullable: true },
    quantity: { type: 'integer' },
    unitPrice: { type: 'decimal', precision: 12, scale: 2, nullable: true },
    currency: { type: 'string', length: 3, nullable: true },
  },
});
