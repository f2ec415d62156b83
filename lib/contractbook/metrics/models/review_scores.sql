/*
name: review_scores
description: >-
  The review score distribution: for each score from 1 to 5, how many accepted reviews gave it
  and their share of all reviews (a score nobody gave is listed with zero).
inputs: [olist.order_reviews]
primary_key: [review_score]
columns:
  - {name: review_score, from: [order_reviews.review_score], required: true}
  - {name: reviews, logicalType: integer, physicalType: bigint, required: true, minimum: 0,
     from: [order_reviews.review_id], description: Reviews with this score.}
  - {name: share, logicalType: number, physicalType: double, minimum: 0, maximum: 1,
     from: [order_reviews.review_id], description: Share of all reviews; empty when there are none.}
*/
WITH scores AS (
    SELECT score AS review_score
    FROM (VALUES (1), (2), (3), (4), (5)) AS s (score)
),

reviews AS (
    SELECT review_score
    FROM olist.order_reviews
),

counted AS (
    SELECT s.review_score, count(r.review_score) AS reviews
    FROM scores AS s
    LEFT JOIN reviews AS r ON r.review_score = s.review_score
    GROUP BY s.review_score
),

final AS (
    SELECT review_score, reviews,
           CAST(reviews AS DOUBLE) / nullif(sum(reviews) OVER (), 0) AS share
    FROM counted
)

SELECT * FROM final
