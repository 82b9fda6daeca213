/*
 * oracle.h - the oracle policy: the ideal action for an observation, read from
 * the ground truth in the bank.
 *
 * Design: the oracle sees only what any policy sees (the observation) plus the
 * bank, and answers with the same JSON action an agent would send, so it drives
 * the real environment through its real interface. code_review: the reference
 * review (every issue at its first line, with its type, explanation and fix).
 * pr_review: the ideal stance for the revision shown (approve correct code,
 * request changes on flawed code, escalate critical code) with a comment made of
 * the explanations and fixes of the issues present. It is the upper baseline of
 * the runner, the "ideal path" `tasks check` plays, and the reviewer of the
 * property tests.
 */
#ifndef RG_AGENT_ORACLE_H
#define RG_AGENT_ORACLE_H

#include "bank/bank.h"
#include "core/err.h"
#include "core/json.h"

/* The ideal decision for a version with this verdict. */
enum rg_decision rg_oracle_decision(enum rg_verdict v);

/* The action for observation (new reference), or NULL with err: RG_ENOTFOUND when
 * the observation's task is not in the bank (custom tasks have no oracle). */
rg_json *rg_oracle_action(const rg_bank *bank, const rg_json *observation, rg_err *err);

#endif
