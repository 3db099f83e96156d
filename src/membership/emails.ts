/** Emails of the vetting workflow and invitations, in the recipient's language (en, es, pt, fr). */
import type { MailTemplate } from '../mail/render.ts';

export const applicationReceived: MailTemplate = {
  subject: {
    en: 'Hemisphere: your application for {org} was received',
    es: 'Hemisphere: se recibió su solicitud para {org}',
    pt: 'Hemisphere: a sua candidatura para {org} foi recebida',
    fr: 'Hemisphere : votre candidature pour {org} a été reçue',
  },
  text: {
    en: 'We received the application for {org}. Next step: {next}.\n\nFollow where it stands (keep this link private):\n{link}\n',
    es: 'Recibimos la solicitud para {org}. Próximo paso: {next}.\n\nSiga su estado (mantenga este enlace en privado):\n{link}\n',
    pt: 'Recebemos a candidatura para {org}. Próximo passo: {next}.\n\nAcompanhe o estado (mantenha este link privado):\n{link}\n',
    fr: 'Nous avons reçu la candidature pour {org}. Prochaine étape : {next}.\n\nSuivez son état (gardez ce lien privé) :\n{link}\n',
  },
};

/** `{next}` in applicationReceived. */
export const nextStepText = {
  poc: { en: 'validation by your national point of contact', es: 'validación por su punto de contacto nacional', pt: 'validação pelo seu ponto de contacto nacional', fr: 'validation par votre point de contact national' },
  coordinator: { en: 'review by the hub coordinators', es: 'revisión por los coordinadores del hub', pt: 'análise pelos coordenadores do hub', fr: 'examen par les coordinateurs du hub' },
} as const;

export const pocReviewNeeded: MailTemplate = {
  subject: {
    en: 'Hemisphere: application to validate — {org} ({country})',
    es: 'Hemisphere: solicitud por validar — {org} ({country})',
    pt: 'Hemisphere: candidatura a validar — {org} ({country})',
    fr: 'Hemisphere : candidature à valider — {org} ({country})',
  },
  text: {
    en: 'As national point of contact, please validate or decline the membership application of {org}:\n{link}\n',
    es: 'Como punto de contacto nacional, valide o rechace la solicitud de membresía de {org}:\n{link}\n',
    pt: 'Como ponto de contacto nacional, valide ou recuse a candidatura de adesão de {org}:\n{link}\n',
    fr: "En tant que point de contact national, validez ou déclinez la demande d'adhésion de {org} :\n{link}\n",
  },
};

export const coordinatorReviewNeeded: MailTemplate = {
  subject: {
    en: 'Hemisphere: application awaiting hub approval — {org} ({country})',
    es: 'Hemisphere: solicitud pendiente de aprobación del hub — {org} ({country})',
    pt: 'Hemisphere: candidatura a aguardar aprovação do hub — {org} ({country})',
    fr: "Hemisphere : candidature en attente d'approbation du hub — {org} ({country})",
  },
  text: {
    en: 'The application of {org} awaits your decision (approve or reject):\n{link}\n',
    es: 'La solicitud de {org} espera su decisión (aprobar o rechazar):\n{link}\n',
    pt: 'A candidatura de {org} aguarda a sua decisão (aprovar ou rejeitar):\n{link}\n',
    fr: 'La candidature de {org} attend votre décision (approuver ou rejeter) :\n{link}\n',
  },
};

export const applicationValidated: MailTemplate = {
  subject: {
    en: 'Hemisphere: {org} validated by the national point of contact',
    es: 'Hemisphere: {org} validada por el punto de contacto nacional',
    pt: 'Hemisphere: {org} validada pelo ponto de contacto nacional',
    fr: 'Hemisphere : {org} validée par le point de contact national',
  },
  text: {
    en: 'Your national point of contact validated the application. The hub coordinators decide next.\n{link}\n',
    es: 'Su punto de contacto nacional validó la solicitud. Ahora deciden los coordinadores del hub.\n{link}\n',
    pt: 'O seu ponto de contacto nacional validou a candidatura. Agora decidem os coordenadores do hub.\n{link}\n',
    fr: 'Votre point de contact national a validé la candidature. Les coordinateurs du hub décident ensuite.\n{link}\n',
  },
};

export const applicationDeclined: MailTemplate = {
  subject: {
    en: 'Hemisphere: application for {org} declined',
    es: 'Hemisphere: solicitud para {org} rechazada',
    pt: 'Hemisphere: candidatura para {org} recusada',
    fr: 'Hemisphere : candidature pour {org} déclinée',
  },
  text: {
    en: 'Your national point of contact declined the application.\nReason: {reason}\n{link}\n',
    es: 'Su punto de contacto nacional rechazó la solicitud.\nMotivo: {reason}\n{link}\n',
    pt: 'O seu ponto de contacto nacional recusou a candidatura.\nMotivo: {reason}\n{link}\n',
    fr: 'Votre point de contact national a décliné la candidature.\nMotif : {reason}\n{link}\n',
  },
};

export const applicationApproved: MailTemplate = {
  subject: {
    en: 'Hemisphere: {org} approved',
    es: 'Hemisphere: {org} aprobada',
    pt: 'Hemisphere: {org} aprovada',
    fr: 'Hemisphere : {org} approuvée',
  },
  text: {
    en: 'The hub approved the application. The head of team ({head}) received an invitation by email.\n{link}\n',
    es: 'El hub aprobó la solicitud. El jefe del equipo ({head}) recibió una invitación por correo.\n{link}\n',
    pt: 'O hub aprovou a candidatura. O responsável da equipa ({head}) recebeu um convite por email.\n{link}\n',
    fr: "Le hub a approuvé la candidature. Le responsable de l'équipe ({head}) a reçu une invitation par courriel.\n{link}\n",
  },
};

export const applicationRejected: MailTemplate = {
  subject: {
    en: 'Hemisphere: application for {org} rejected',
    es: 'Hemisphere: solicitud para {org} no aprobada',
    pt: 'Hemisphere: candidatura para {org} rejeitada',
    fr: 'Hemisphere : candidature pour {org} rejetée',
  },
  text: {
    en: 'The hub coordinators rejected the application.\nReason: {reason}\n{link}\n',
    es: 'Los coordinadores del hub no aprobaron la solicitud.\nMotivo: {reason}\n{link}\n',
    pt: 'Os coordenadores do hub rejeitaram a candidatura.\nMotivo: {reason}\n{link}\n',
    fr: 'Les coordinateurs du hub ont rejeté la candidature.\nMotif : {reason}\n{link}\n',
  },
};

export const invitation: MailTemplate = {
  subject: {
    en: 'Hemisphere: you are invited to join {org}',
    es: 'Hemisphere: le invitan a unirse a {org}',
    pt: 'Hemisphere: foi convidado a juntar-se a {org}',
    fr: 'Hemisphere : vous êtes invité à rejoindre {org}',
  },
  text: {
    en: 'You are invited to join {org} on Hemisphere as {role}.\nAccept before {expires} (UTC):\n{link}\n',
    es: 'Le invitan a unirse a {org} en Hemisphere como {role}.\nAcepte antes del {expires} (UTC):\n{link}\n',
    pt: 'Foi convidado a juntar-se a {org} no Hemisphere como {role}.\nAceite antes de {expires} (UTC):\n{link}\n',
    fr: 'Vous êtes invité à rejoindre {org} sur Hemisphere en tant que {role}.\nAcceptez avant le {expires} (UTC) :\n{link}\n',
  },
};
