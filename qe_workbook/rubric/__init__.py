"""The rubric: the validated data model of the plan's 附件1/4/5, loaded once and passed explicitly."""

from .load import BUNDLED_RUBRIC, RubricLoad, default_rubric_path, load_rubric
from .model import (
    JOINT_RULE_LABELS,
    KIND_LABELS,
    Area,
    Disclose,
    Disclosure,
    Evaluator,
    FollowUp,
    GradeLimit,
    Grading,
    Item,
    JointRule,
    KeyPoint,
    Kind,
    PublicShows,
    Rubric,
    Threshold,
    Unit,
)

__all__ = [
    "BUNDLED_RUBRIC", "JOINT_RULE_LABELS", "KIND_LABELS", "Area", "Disclose", "Disclosure", "Evaluator", "FollowUp", "GradeLimit",
    "Grading", "Item", "JointRule", "KeyPoint", "Kind", "PublicShows", "Rubric", "RubricLoad", "Threshold", "Unit",
    "default_rubric_path", "load_rubric",
]  # fmt: skip
