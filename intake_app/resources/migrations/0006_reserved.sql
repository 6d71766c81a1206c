-- 0006: intentionally empty. The number was kept free while the indexes of 0007 were
-- built; vaults and benchmark data sets made with 0007 already exist, so 0007 keeps its
-- number and this step changes nothing.
SELECT 1;
