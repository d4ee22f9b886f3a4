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
    Part,
    PlanTexts,
    PublicShows,
    Rubric,
    Threshold,
    Unit,
    UnitClass,
)
from .rules import (
    BaseRule,
    ChecklistRule,
    Combine,
    CombineKind,
    Entry,
    Figure,
    LinearRule,
    PerEventRule,
    PointsRule,
    RangedRule,
    RankRule,
    Rule,
    TableRow,
    TableRule,
    Tier,
    TiersRule,
    VetoEffect,
    VetoKind,
    VetoRule,
)

__all__ = [
    "BUNDLED_RUBRIC", "JOINT_RULE_LABELS", "KIND_LABELS", "Area", "BaseRule", "ChecklistRule", "Combine", "CombineKind",
    "Disclose", "Disclosure", "Entry", "Evaluator", "Figure", "FollowUp", "GradeLimit", "Grading", "Item", "JointRule",
    "KeyPoint", "Kind", "LinearRule", "Part", "PerEventRule", "PlanTexts", "PointsRule", "PublicShows", "RangedRule",
    "RankRule", "Rubric", "RubricLoad", "Rule", "TableRow", "TableRule", "Threshold", "Tier", "TiersRule", "Unit",
    "UnitClass", "VetoEffect", "VetoKind", "VetoRule", "default_rubric_path", "load_rubric",
]  # fmt: skip
