-- An open's credit from escrow to the receiver's wallet is its claim row: the row carries the transfer's place in the
-- ledger (ledger_seq, from the transfers' own numbering) and the wallet's balance after it, instead of a transfers row
-- beside it. A derived open then writes one row into four b-trees (the claim's key, one share per member, the records'
-- index and the statements' index below) where it wrote two rows into seven. Its transfer id stays
-- 'claim:<packet>:<seq>', unique by the claim's key. Credits made later (a packet paid after it was opened) and the
-- two halves of a credit to another SET stay transfers rows. The ledger, the statements and the audit read both.
ALTER TABLE claims ADD COLUMN ledger_seq INTEGER;
ALTER TABLE claims ADD COLUMN balance_after INTEGER;

-- The existing credits from escrow to a claim's own wallet move into their claims, keeping their numbers.
UPDATE claims
SET ledger_seq = (SELECT t.seq FROM transfers t WHERE t.transfer_id = 'claim:' || claims.packet_id || ':' || claims.seq),
    balance_after = (SELECT t.to_balance_after FROM transfers t WHERE t.transfer_id = 'claim:' || claims.packet_id || ':' || claims.seq)
WHERE credited = 1 AND EXISTS (SELECT 1 FROM transfers t WHERE t.transfer_id = 'claim:' || claims.packet_id || ':' || claims.seq
    AND t.kind = 'CLAIM' AND t.from_account LIKE 'escrow:%' AND t.to_account = 'wallet:' || claims.user_id);
DELETE FROM transfers WHERE kind = 'CLAIM' AND from_account LIKE 'escrow:%' AND to_account LIKE 'wallet:%'
    AND seq IN (SELECT ledger_seq FROM claims WHERE ledger_seq IS NOT NULL);

-- A wallet's statement (流水): its credits in claims, newest first, merged with its transfers.
CREATE INDEX claims_credits ON claims (user_id, ledger_seq) WHERE ledger_seq IS NOT NULL;

-- The ledger's numbering is shared by transfers and claims; the writer takes numbers from here and writes back the last.
INSERT INTO sqlite_sequence (name, seq) SELECT 'transfers', COALESCE((SELECT MAX(seq) FROM transfers), 0)
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'transfers');
