-- queries.sql — run by sqlite3 on a fresh database file: thousands of rows
-- inserted through recursive CTEs, an index, joins, group-bys, a view, a
-- trigger, updates and deletes. Every query has an ORDER BY, so the output
-- is deterministic.
.bail on
.headers on
.mode list
PRAGMA journal_mode = DELETE;
PRAGMA cache_size = 200;

CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL);
CREATE TABLE product (id INTEGER PRIMARY KEY, label TEXT NOT NULL, price REAL NOT NULL);
CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	product_id INTEGER NOT NULL REFERENCES product(id),
	qty INTEGER NOT NULL,
	note TEXT
);
CREATE TABLE audit (order_id INTEGER, old_qty INTEGER, new_qty INTEGER);

CREATE TRIGGER orders_qty AFTER UPDATE OF qty ON orders
BEGIN
	INSERT INTO audit VALUES (old.id, old.qty, new.qty);
END;

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO customer
SELECT i, 'customer-' || printf('%04d', i),
       CASE i % 7 WHEN 0 THEN 'Oslo' WHEN 1 THEN 'Lyon' WHEN 2 THEN 'Porto'
                  WHEN 3 THEN 'Turin' WHEN 4 THEN 'Ghent' WHEN 5 THEN 'Graz' ELSE 'Bern' END
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO product SELECT i, 'product-' || hex(i * 2654435761 % 65536), (i * 37 % 1000) / 10.0 FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
INSERT INTO orders
SELECT i, 1 + (i * 7919) % 2000, 1 + (i * 104729) % 300, 1 + i % 9,
       CASE WHEN i % 5 = 0 THEN NULL ELSE substr('lorem ipsum dolor sit amet consectetur', 1 + i % 20, 5 + i % 17) END
FROM n;
COMMIT;

CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX orders_product_qty ON orders(product_id, qty);
CREATE VIEW order_value AS
SELECT o.id, o.customer_id, o.qty * p.price AS value
FROM orders o JOIN product p ON p.id = o.product_id;

SELECT count(*) AS customers FROM customer;
SELECT count(*) AS orders, sum(qty) AS items FROM orders;

SELECT c.city, count(*) AS n, round(sum(v.value), 2) AS revenue, round(avg(v.value), 4) AS mean
FROM order_value v JOIN customer c ON c.id = v.customer_id
GROUP BY c.city ORDER BY revenue DESC, c.city;

SELECT p.label, sum(o.qty) AS sold
FROM orders o JOIN product p ON p.id = o.product_id
GROUP BY p.id HAVING sold > 1050 ORDER BY sold DESC, p.label LIMIT 10;

SELECT c.name, count(o.id) AS n, group_concat(DISTINCT o.qty) AS qtys
FROM customer c LEFT JOIN orders o ON o.customer_id = c.id
WHERE c.id % 250 = 0 GROUP BY c.id ORDER BY c.id;

UPDATE orders SET qty = qty + 10 WHERE id % 97 = 0;
SELECT count(*) AS audited, sum(new_qty - old_qty) AS delta FROM audit;

DELETE FROM orders WHERE note IS NULL AND qty > 15;
SELECT count(*) AS remaining FROM orders;

SELECT length(group_concat(note, '|')) AS notes_len, count(DISTINCT note) AS distinct_notes
FROM orders;

SELECT city, name FROM (
	SELECT c.city, c.name, row_number() OVER (PARTITION BY c.city ORDER BY sum(v.value) DESC, c.id) AS rk
	FROM order_value v JOIN customer c ON c.id = v.customer_id GROUP BY c.id
) WHERE rk <= 2 ORDER BY city, name;

EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = 42;

VACUUM;
PRAGMA integrity_check;
SELECT count(*) AS pages_gt_zero FROM pragma_page_count WHERE page_count > 0;
