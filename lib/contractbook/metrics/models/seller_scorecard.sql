/*
name: seller_scorecard
description: >-
  One row per accepted seller: revenue (item prices) and freight, orders and items sold, the
  on-time rate of their delivered orders and the average review of those orders. Sellers without
  sales or without reviews are kept, with zeros and empty rates.
inputs: [olist.sellers, olist.order_items, olist.order_reviews, curated.order_deliveries]
primary_key: [seller_id]
columns:
  - {name: seller_id, from: [sellers.seller_id], required: true}
  - {name: seller_state, from: [sellers.seller_state], required: true}
  - {name: orders, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_items.order_id], description: Orders with at least one item of the seller.}
  - {name: items, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_items.order_item_id], description: Items sold.}
  - {name: revenue, logicalType: number, physicalType: "decimal(14,2)", required: true, minimum: 0,
     from: [order_items.price], description: Sum of the prices of the items sold, BRL.}
  - {name: freight_value, logicalType: number, physicalType: "decimal(14,2)", required: true,
     minimum: 0, from: [order_items.freight_value], description: Sum of the freight charged, BRL.}
  - {name: delivered_orders, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_deliveries.is_delivered], description: The seller's orders delivered.}
  - {name: on_time_rate, logicalType: number, physicalType: double, minimum: 0, maximum: 1,
     from: [order_deliveries.is_on_time],
     description: On-time share of the seller's delivered orders; empty when none was delivered.}
  - {name: reviews, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_reviews.review_id], description: Reviews of the seller's orders.}
  - {name: avg_review_score, logicalType: number, physicalType: double, minimum: 1, maximum: 5,
     from: [order_reviews.review_score], description: Mean review score; empty without reviews.}
  - {name: has_reviews, logicalType: boolean, physicalType: boolean, required: true,
     from: [order_reviews.review_id], description: True when the seller has at least one review.}
*/
WITH sellers AS (
    SELECT seller_id, seller_state
    FROM olist.sellers
),

items AS (
    SELECT order_id, seller_id, price, freight_value
    FROM olist.order_items
),

deliveries AS (
    SELECT order_id, is_delivered, is_on_time
    FROM curated.order_deliveries
),

reviews AS (
    SELECT order_id, review_id, review_score
    FROM olist.order_reviews
),

sales AS (
    SELECT seller_id,
           count(DISTINCT order_id) AS orders,
           count(*) AS items,
           sum(price) AS revenue,
           sum(freight_value) AS freight_value
    FROM items
    GROUP BY seller_id
),

seller_orders AS (
    SELECT DISTINCT seller_id, order_id
    FROM items
),

punctuality AS (
    SELECT so.seller_id,
           count(*) FILTER (WHERE d.is_delivered) AS delivered_orders,
           CAST(count(*) FILTER (WHERE d.is_on_time) AS DOUBLE)
               / nullif(count(*) FILTER (WHERE d.is_delivered), 0) AS on_time_rate
    FROM seller_orders AS so
    JOIN deliveries AS d ON d.order_id = so.order_id
    GROUP BY so.seller_id
),

satisfaction AS (
    SELECT so.seller_id, count(*) AS reviews, avg(r.review_score) AS avg_review_score
    FROM seller_orders AS so
    JOIN reviews AS r ON r.order_id = so.order_id
    GROUP BY so.seller_id
),

final AS (
    SELECT s.seller_id, s.seller_state,
           coalesce(sa.orders, 0) AS orders,
           coalesce(sa.items, 0) AS items,
           coalesce(sa.revenue, 0) AS revenue,
           coalesce(sa.freight_value, 0) AS freight_value,
           coalesce(p.delivered_orders, 0) AS delivered_orders,
           p.on_time_rate,
           coalesce(f.reviews, 0) AS reviews,
           f.avg_review_score,
           f.reviews IS NOT NULL AS has_reviews
    FROM sellers AS s
    LEFT JOIN sales AS sa ON sa.seller_id = s.seller_id
    LEFT JOIN punctuality AS p ON p.seller_id = s.seller_id
    LEFT JOIN satisfaction AS f ON f.seller_id = s.seller_id
)

SELECT * FROM final
