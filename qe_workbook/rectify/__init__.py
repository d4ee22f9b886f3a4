"""The follow-up the plan asks for (方案 五(三)): each unit's 整改台账 against the problems fed back to it,
generated signed, returned filled, collected into one ledger, and shown in next year's letters."""
