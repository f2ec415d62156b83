/*
name: delivery_sla
description: >-
  Delivery service levels per segment: overall (dimension `all`), per customer state, per month
  of purchase and per seller. On-time rate over delivered orders; the delay distribution as mean,
  median and 90th percentile of the delay in days; mean hours from approval to the carrier.
  An order counts once per seller that has an item in it.
inputs: [curated.order_deliveries, olist.order_items]
primary_key: [dimension, segment]
columns:
  - {name: dimension, logicalType: string, physicalType: varchar(16), required: true,
     from: [], description: "What the segment is: all, customer_state, purchase_month or seller."}
  - {name: segment, logicalType: string, physicalType: varchar(32), required: true,
     from: [order_deliveries.customer_state, order_deliveries.purchase_month, order_items.seller_id],
     description: "The segment's value: a state code, a month (YYYY-MM-DD), a seller id, or all."}
  - {name: orders, logicalType: integer, physicalType: bigint, required: true, minimum: 1,
     from: [order_deliveries.order_id], description: Orders in the segment.}
  - {name: delivered_orders, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_deliveries.is_delivered], description: Orders delivered to the customer.}
  - {name: on_time_orders, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_deliveries.is_on_time], description: Orders delivered on or before the estimate.}
  - {name: on_time_rate, logicalType: number, physicalType: double, minimum: 0, maximum: 1,
     from: [order_deliveries.is_on_time],
     description: On-time orders over delivered orders; empty when none was delivered.}
  - {name: avg_delay_days, logicalType: number, physicalType: double,
     from: [order_deliveries.delay_days], description: Mean delay in days of delivered orders.}
  - {name: median_delay_days, logicalType: number, physicalType: double,
     from: [order_deliveries.delay_days], description: Median delay in days (interpolated).}
  - {name: p90_delay_days, logicalType: number, physicalType: double,
     from: [order_deliveries.delay_days],
     description: 90th percentile of the delay in days (interpolated); the late tail.}
  - {name: avg_approval_to_carrier_hours, logicalType: number, physicalType: double,
     from: [order_deliveries.approval_to_carrier_hours],
     description: "Mean hours from payment approval to the carrier (no minimum: an order handed
       over before its approval counts negative, a known quirk of the public data)."}
*/
WITH deliveries AS (
    SELECT order_id, customer_state, purchase_month, is_delivered, is_on_time, delay_days,
           approval_to_carrier_hours
    FROM curated.order_deliveries
),

seller_orders AS (
    SELECT DISTINCT seller_id, order_id
    FROM olist.order_items
),

segmented AS (
    SELECT 'all' AS dimension, 'all' AS segment, d.*
    FROM deliveries AS d
    UNION ALL
    SELECT 'customer_state', d.customer_state, d.*
    FROM deliveries AS d
    UNION ALL
    SELECT 'purchase_month', CAST(d.purchase_month AS VARCHAR), d.*
    FROM deliveries AS d
    UNION ALL
    SELECT 'seller', s.seller_id, d.*
    FROM seller_orders AS s
    JOIN deliveries AS d ON d.order_id = s.order_id
),

final AS (
    SELECT dimension, segment,
           count(*) AS orders,
           count(*) FILTER (WHERE is_delivered) AS delivered_orders,
           count(*) FILTER (WHERE is_on_time) AS on_time_orders,
           CAST(count(*) FILTER (WHERE is_on_time) AS DOUBLE)
               / nullif(count(*) FILTER (WHERE is_delivered), 0) AS on_time_rate,
           avg(delay_days) AS avg_delay_days,
           quantile_cont(delay_days, 0.5) AS median_delay_days,
           quantile_cont(delay_days, 0.9) AS p90_delay_days,
           avg(approval_to_carrier_hours) AS avg_approval_to_carrier_hours
    FROM segmented
    GROUP BY dimension, segment
)

SELECT * FROM final
