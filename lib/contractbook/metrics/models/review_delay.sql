/*
name: review_delay
description: >-
  Review score against delivery delay: reviews grouped by how early or late their order arrived
  compared with the estimate (or not at all), with the mean score and the share of low scores.
inputs: [olist.order_reviews, curated.order_deliveries]
primary_key: [delay_bucket]
columns:
  - {name: delay_bucket, logicalType: string, physicalType: varchar(16), required: true,
     from: [order_deliveries.delay_days, order_deliveries.is_delivered],
     description: "Delay class: early 8+ d, early 1-7 d, on the day, late 1-7 d, late 8+ d, undelivered."}
  - {name: bucket_order, logicalType: integer, physicalType: integer, required: true, minimum: 1,
     maximum: 6, from: [order_deliveries.delay_days], description: Sort order of the bucket, early first.}
  - {name: reviews, logicalType: integer, physicalType: bigint, required: true, minimum: 1,
     from: [order_reviews.review_id], description: Reviews in the bucket.}
  - {name: avg_score, logicalType: number, physicalType: double, required: true, minimum: 1,
     maximum: 5, from: [order_reviews.review_score], description: Mean review score.}
  - {name: low_score_share, logicalType: number, physicalType: double, required: true, minimum: 0,
     maximum: 1, from: [order_reviews.review_score], description: Share of reviews scoring 1 or 2.}
*/
WITH reviews AS (
    SELECT order_id, review_score
    FROM olist.order_reviews
),

deliveries AS (
    SELECT order_id, is_delivered, delay_days
    FROM curated.order_deliveries
),

bucketed AS (
    SELECT r.review_score,
           CASE WHEN NOT d.is_delivered THEN 6
                WHEN d.delay_days <= -8 THEN 1
                WHEN d.delay_days < 0 THEN 2
                WHEN d.delay_days = 0 THEN 3
                WHEN d.delay_days <= 7 THEN 4
                ELSE 5 END AS bucket_order
    FROM reviews AS r
    JOIN deliveries AS d ON d.order_id = r.order_id
),

final AS (
    SELECT CASE bucket_order WHEN 1 THEN 'early 8+ d' WHEN 2 THEN 'early 1-7 d'
                WHEN 3 THEN 'on the day' WHEN 4 THEN 'late 1-7 d' WHEN 5 THEN 'late 8+ d'
                ELSE 'undelivered' END AS delay_bucket,
           bucket_order,
           count(*) AS reviews,
           avg(review_score) AS avg_score,
           avg(CASE WHEN review_score <= 2 THEN 1.0 ELSE 0.0 END) AS low_score_share
    FROM bucketed
    GROUP BY bucket_order
)

SELECT * FROM final
