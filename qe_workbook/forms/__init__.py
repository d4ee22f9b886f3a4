"""The evaluation forms (附件6): layout, generation, signed manifest, filling and simulation."""
