-- bin/govind demo: per district, how many companies are on the red list, the black list and not
-- rated in the month, and the first of the black list (for the explain example). Parameter: :period.
SELECT district_code,
       count_if(list = 'red')                                  AS red,
       count_if(list = 'black')                                AS black,
       count_if(list = 'not_rated')                            AS not_rated,
       min_by(company_id, IF(list = 'black', position, NULL))  AS first_black
FROM gold.red_black_list
WHERE period = :period
GROUP BY district_code
ORDER BY district_code
