/*
name: category_reviews
description: >-
  Average review score per product category, named in English through the translation table.
  A category missing from the translation keeps its Portuguese name and is flagged; products
  without a category form the category `(no category)`. A review counts once for each category
  among its order's items; reviews of orders without items are not counted.
inputs: [olist.order_reviews, olist.order_items, olist.products, olist.product_category_name_translation]
primary_key: [category]
columns:
  - {name: category, logicalType: string, physicalType: varchar(64), required: true,
     from: [product_category_name_translation.product_category_name_english, products.product_category_name],
     description: "English category name; the Portuguese one when untranslated; (no category)."}
  - {name: product_category_name, from: [products.product_category_name]}
  - {name: is_translated, logicalType: boolean, physicalType: boolean, required: true,
     from: [product_category_name_translation.product_category_name],
     description: True when the translation table has the category.}
  - {name: reviews, logicalType: integer, physicalType: bigint, required: true, minimum: 1,
     from: [order_reviews.review_id], description: Reviews of orders with an item of the category.}
  - {name: avg_score, logicalType: number, physicalType: double, required: true, minimum: 1,
     maximum: 5, from: [order_reviews.review_score], description: Mean review score.}
  - {name: low_score_share, logicalType: number, physicalType: double, required: true, minimum: 0,
     maximum: 1, from: [order_reviews.review_score], description: Share of reviews scoring 1 or 2.}
*/
WITH reviews AS (
    SELECT review_id, order_id, review_score
    FROM olist.order_reviews
),

items AS (
    SELECT order_id, product_id
    FROM olist.order_items
),

products AS (
    SELECT product_id, product_category_name
    FROM olist.products
),

translation AS (
    SELECT product_category_name, product_category_name_english
    FROM olist.product_category_name_translation
),

review_categories AS (
    SELECT DISTINCT r.review_id, r.order_id, r.review_score, p.product_category_name
    FROM reviews AS r
    JOIN items AS i ON i.order_id = r.order_id
    JOIN products AS p ON p.product_id = i.product_id
),

named AS (
    SELECT rc.*,
           coalesce(t.product_category_name_english, rc.product_category_name, '(no category)')
               AS category,
           t.product_category_name IS NOT NULL AS is_translated
    FROM review_categories AS rc
    LEFT JOIN translation AS t ON t.product_category_name = rc.product_category_name
),

final AS (
    SELECT category, product_category_name, is_translated,
           count(*) AS reviews,
           avg(review_score) AS avg_score,
           avg(CASE WHEN review_score <= 2 THEN 1.0 ELSE 0.0 END) AS low_score_share
    FROM named
    GROUP BY category, product_category_name, is_translated
)

SELECT * FROM final
