import {
  AccountSelection, ApprovalRequirement, Guardrail, GuardrailTarget, IdentityCenterPrincipal, PermissionLevel,
  PermissionSetBoundary,
} from '../src';

// Choice classes have private constructors: jsii then generates no initializer, so Python cannot instantiate a
// subclass (test/python/test_choice_classes.py proves that side). The `@ts-expect-error` lines make `typecheck` fail
// the day a constructor stops being private.
describe('choice classes', () => {
  test('cannot be constructed or subclassed in TypeScript', () => {
    // @ts-expect-error the constructor is private
    class MySelection extends AccountSelection {}
    // @ts-expect-error the constructor is private
    class MyTarget extends GuardrailTarget {}
    // @ts-expect-error the constructor is private
    class MyPrincipal extends IdentityCenterPrincipal {}
    // @ts-expect-error the constructor is private
    class MyApproval extends ApprovalRequirement {}
    // @ts-expect-error the constructor is private
    class MyBoundary extends PermissionSetBoundary {}
    // @ts-expect-error the constructor is private
    class MyLevel extends PermissionLevel {}
    // @ts-expect-error the constructor is private
    class MyGuardrail extends Guardrail {}
    expect([MySelection, MyTarget, MyPrincipal, MyApproval, MyBoundary, MyLevel, MyGuardrail]).toHaveLength(7);
  });

  test('the factories return instances of the class itself', () => {
    expect(AccountSelection.union([AccountSelection.accounts(['a'])])).toBeInstanceOf(AccountSelection);
    expect(GuardrailTarget.organizationRoot()).toBeInstanceOf(GuardrailTarget);
    expect(IdentityCenterPrincipal.userNamed('alice')).toBeInstanceOf(IdentityCenterPrincipal);
    expect(ApprovalRequirement.quorum(2)).toBeInstanceOf(ApprovalRequirement);
    expect(PermissionSetBoundary.none()).toBeInstanceOf(PermissionSetBoundary);
    expect(Guardrail.custom({ name: 'X', statements: [] })).toBeInstanceOf(Guardrail);
  });
});
