/*
name: order_totals
description: >-
  One row per accepted order: what its items and freight cost, what was paid (vouchers apart),
  the difference and a mismatch flag. Orders without items or payments are kept with zeros.
inputs: [olist.orders, olist.customers, olist.order_items, olist.order_payments]
primary_key: [order_id]
columns:
  - {name: order_id, from: [orders.order_id], required: true}
  - {name: customer_id, from: [orders.customer_id], required: true}
  - {name: customer_state, from: [customers.customer_state]}
  - {name: order_status, from: [orders.order_status], required: true}
  - {name: purchased_at, from: [orders.order_purchase_timestamp], required: true}
  - {name: items, logicalType: integer, physicalType: integer, required: true, minimum: 0,
     from: [order_items.order_item_id], description: Number of accepted items of the order.}
  - {name: items_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_items.price], description: Sum of the items' prices in BRL.}
  - {name: freight_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_items.freight_value], description: Sum of the items' freight in BRL.}
  - {name: order_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_items.price, order_items.freight_value],
     description: Items plus freight in BRL, what the customer owes.}
  - {name: payments, logicalType: integer, physicalType: integer, required: true, minimum: 0,
     from: [order_payments.payment_sequential], description: Number of accepted payments.}
  - {name: payments_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_payments.payment_value], description: Sum of the payments in BRL.}
  - {name: voucher_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_payments.payment_value, order_payments.payment_type],
     description: Part of the payments made with vouchers, in BRL.}
  - {name: payment_difference, logicalType: number, physicalType: "decimal(14,2)", required: true,
     from: [order_payments.payment_value, order_items.price, order_items.freight_value],
     description: Payments minus items and freight in BRL; negative when underpaid.}
  - {name: has_payment, logicalType: boolean, physicalType: boolean, required: true,
     from: [order_payments.order_id], description: True when at least one payment was accepted.}
  - {name: payment_mismatch, logicalType: boolean, physicalType: boolean, required: true,
     from: [order_payments.payment_value, order_items.price, order_items.freight_value],
     description: True when payments and items plus freight differ by more than 0.01 BRL.}
*/
WITH orders AS (
    SELECT order_id, customer_id, order_status, order_purchase_timestamp
    FROM olist.orders
),

customers AS (
    SELECT customer_id, customer_state
    FROM olist.customers
),

items_per_order AS (
    SELECT order_id,
           count(*) AS items,
           sum(price) AS items_value,
           sum(freight_value) AS freight_value
    FROM olist.order_items
    GROUP BY order_id
),

payments_per_order AS (
    SELECT order_id,
           count(*) AS payments,
           sum(payment_value) AS payments_value,
           coalesce(sum(payment_value) FILTER (WHERE payment_type = 'voucher'), 0) AS voucher_value
    FROM olist.order_payments
    GROUP BY order_id
),

joined AS (
    SELECT o.order_id, o.customer_id, c.customer_state, o.order_status,
           o.order_purchase_timestamp AS purchased_at,
           coalesce(i.items, 0) AS items,
           coalesce(i.items_value, 0) AS items_value,
           coalesce(i.freight_value, 0) AS freight_value,
           coalesce(p.payments, 0) AS payments,
           coalesce(p.payments_value, 0) AS payments_value,
           coalesce(p.voucher_value, 0) AS voucher_value
    FROM orders AS o
    LEFT JOIN customers AS c ON c.customer_id = o.customer_id
    LEFT JOIN items_per_order AS i ON i.order_id = o.order_id
    LEFT JOIN payments_per_order AS p ON p.order_id = o.order_id
),

final AS (
    SELECT *,
           items_value + freight_value AS order_value,
           payments_value - (items_value + freight_value) AS payment_difference,
           payments > 0 AS has_payment,
           abs(payments_value - (items_value + freight_value)) > 0.01 AS payment_mismatch
    FROM joined
)

SELECT * FROM final
