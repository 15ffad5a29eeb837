-- 0012: the field terminal round 2.
-- Which customers a catalog product is made for, so the install form offers the right
-- one first: a household detector (GB 15322.2) to a household, a point-type detector
-- for business (GB 15322.1) to a business. A product not listed fits any customer.
CREATE TABLE catalog_fit (
	code     TEXT PRIMARY KEY,
	category TEXT NOT NULL CHECK (category IN ('residential', 'non_residential'))
) WITHOUT ROWID;
INSERT INTO catalog_fit(code, category) VALUES
	('A-HOME', 'residential'),
	('A-COM', 'non_residential');
